import { normalizeAddress } from '../address.ts';
import { findEntity } from '../entity-tools.ts';
import type { MessageView } from '../message-view.ts';
import type { Report, ReportRecipient } from '../report.ts';
import { readDeliveryStatus } from '../rfc3464.ts';
import { type Dialect, type PhraseTable, joinLines, reasonIn } from './dialect.ts';

// au by KDDI (EZweb, ezweb.ne.jp / au.com), Japanese mobile carrier:
//
//   Subject: Mail System Error - Returned Mail
//   From: <Postmaster@ezweb.ne.jp>
//
//   The user(s) account is disabled.
//
//   <***@ezweb.ne.jp>: 550 user unknown (in reply to RCPT TO command)
//
//     -- or --
//   Each of the following recipients was rejected by a remote mail server.
//       Recipient: <***@ezweb.ne.jp>
//       >>> RCPT TO:<***@ezweb.ne.jp>
//       <<< 550 <***@ezweb.ne.jp>: User unknown
//
// Its DSN part says "550 user unknown" for a disabled account: the first line of the text
// is the truth, so this dialect reads messages that have a DSN part too.

const ORIGINAL = '--------------------------------------------------';
const START = ['The user(s) ', 'Your message ', 'Each of the following', '<'];

const REASONS: PhraseTable = [
  ['expired', ['Your message was not delivered within ']], // "… within 0 days and 1 hours."
  ['mailboxfull', ['The user(s) account is temporarily over quota']],
  ['suspend', ['The user(s) account is disabled.', 'The user(s) account is temporarily limited.']],
  ['onhold', ['Each of the following recipients was rejected by a remote mail server']],
];

export const ezweb: Dialect = {
  name: 'ezweb',
  readsDsn: true,
  detect(view: MessageView): boolean {
    let votes = 0;
    if (/Postmaster@(ezweb\.ne\.jp|au\.com)/i.test(view.from)) votes++;
    if (view.subject === 'Mail System Error - Returned Mail') votes++;
    if (view.received.some((r) => r.includes('ezweb.ne.jp (EZweb Mail) with') || r.includes('.au.com (')))
      votes++;
    if (/\.(ezweb\.ne\.jp|au\.com)>/.test(view.headers.get('message-id') ?? '')) votes++;
    return votes >= 2;
  },
  parse(view: MessageView): Report | undefined {
    const cut = view.text.indexOf(ORIGINAL);
    const all = (cut === -1 ? view.text : view.text.slice(0, cut)).split('\n');
    const start = all.findIndex((l) => START.some((s) => l.startsWith(s)));
    if (start === -1) return undefined;
    const preamble: string[] = [];
    const blocks: { address: string; lines: string[]; command?: string }[] = [];
    for (const line of all.slice(start)) {
      if (!line.trim()) continue;
      const m = /<([^<>\s]+@[^<>\s]+)>/.exec(line);
      if (m && (line.startsWith('<') || /Recipient: </.test(line))) {
        const address = normalizeAddress(m[1]);
        if (address) {
          blocks.push({ address, lines: [line] });
          continue;
        }
      }
      const current = blocks.at(-1);
      if (line.includes('>>> ')) {
        if (current) current.command = /RCPT|MAIL|DATA|HELO|EHLO/.exec(line)?.[0];
      } else if (/[\u3000-\u9fff]/.test(line)) {
        continue; // the Japanese explanation says the same as the English lines
      }
      (current?.lines ?? preamble).push(line);
    }
    if (blocks.length === 0) return undefined;
    const statusPart = findEntity(view.entity, (e) => e.contentType.mimeType === 'message/delivery-status');
    const dsn = statusPart ? readDeliveryStatus(statusPart.text(64 * 1024)) : undefined;
    const spam = view.headers.get('x-spasign')?.trim() === 'NG'; // au's spam filter marked the message
    const recipients = blocks.map((b): ReportRecipient => {
      const diagnostic = joinLines([...preamble, ...b.lines]);
      const fromDsn = dsn?.recipients.find((r) => r.address === b.address);
      let reason = spam ? 'filtered' : reasonIn(diagnostic, REASONS);
      // A rejection for a mailbox at another provider, with no explanation: unknown.
      if (!reason && !/@(ezweb\.ne\.jp|au\.com)$/.test(b.address) && diagnostic.startsWith('<'))
        reason = 'userunknown';
      return {
        address: b.address,
        action: 'failed',
        status: fromDsn?.status,
        diagnostic,
        command: b.command ?? (/in reply to (RCPT|MAIL|DATA)/.exec(diagnostic)?.[1] || undefined),
        reason,
        remoteMta: fromDsn?.remoteMta,
      };
    });
    return {
      type: 'delivery-status',
      format: 'ezweb',
      reportingMta: dsn?.reportingMta,
      recipients,
      original: {},
    };
  },
};
