import { normalizeAddress } from '../address.ts';
import type { MessageView } from '../message-view.ts';
import type { Report, ReportRecipient } from '../report.ts';
import {
  type Dialect,
  type PhraseTable,
  joinLines,
  originalFromText,
  reasonIn,
  splitAtOriginal,
} from './dialect.ts';

// Gmail's own (pre-DSN) notification:
//
//   From: Mail Delivery Subsystem <mailer-daemon@googlemail.com>
//   Subject: Delivery Status Notification (Failure)
//
//   Delivery to the following recipient failed permanently:
//
//        userunknown@example.jp
//
//   Technical details of permanent failure:
//   Google tried to deliver your message, but it was rejected by the recipient domain. …
//   The error that the other server returned was:
//   550 550 <userunknown@example.jp>: User unknown (state 14).
//
//   ----- Original message -----

const ORIGINAL = ['----- Original message -----', '----- Message header follows -----'];

/**
 * "(state N)" is the step of Gmail's SMTP client that failed: it names the command, and
 * what a failure there means.
 */
const STATES: Readonly<Record<string, readonly [command: string, reason: string]>> = {
  '6': ['MAIL', 'failedstarttls'], // 500 Remote server does not support TLS (state 6).
  '8': ['AUTH', 'systemerror'], // 535 SMTP AUTH failed with the remote server. (state 8).
  '9': ['AUTH', 'failedstarttls'], // 454 454 TLS missing certificate … (state 9).
  '12': ['AUTH', 'norelaying'], // 500 Remote server does not support SMTP Authenticated Relay (state 12).
  '13': ['EHLO', 'blocked'], // 550 550 5.7.1 <…>... Access denied (state 13).
  '14': ['RCPT', 'userunknown'], // 550 550 5.1.1 <…>... User Unknown (state 14).
  '15': ['DATA', 'filtered'], // 550 550 5.7.1 SPF unauthorized mail is prohibited. (state 15).
  '17': ['DATA', 'filtered'], // 550 550 <…> No such user here (state 17).
  '18': ['DATA', 'filtered'], // 550 550 Unknown user … (state 18).
};

const MESSAGES: PhraseTable = [
  [
    'expired',
    [
      'DNS Error: Could not contact DNS servers',
      'Delivery to the following recipient has been delayed',
      'The recipient server did not accept our requests to connect',
    ],
  ],
  ['hostunknown', ['DNS Error: Domain name not found', 'DNS Error: DNS server returned answer with no data']],
];

export const gmail: Dialect = {
  name: 'gmail',
  detect(view: MessageView): boolean {
    return (
      /mailer-daemon@(googlemail|gmail)\.com/i.test(view.from) &&
      view.subject.includes('Delivery Status Notification')
    );
  },
  parse(view: MessageView): Report | undefined {
    const [report, original] = splitAtOriginal(view.text, ORIGINAL);
    const all = report.split('\n');
    const start = all.findIndex((l) => l.startsWith('Delivery to the following recipient'));
    if (start === -1) return undefined;
    const delayed = all[start]!.includes('has been delayed');
    const blocks: { address: string; lines: string[] }[] = [];
    for (const line of all.slice(start + 1)) {
      if (!line.trim()) continue;
      const address = line.startsWith(' ') && line.includes('@') ? normalizeAddress(line.trim()) : undefined;
      if (address && !/\s/.test(line.trim())) {
        blocks.push({ address, lines: [] });
        continue;
      }
      blocks.at(-1)?.lines.push(line);
    }
    if (blocks.length === 0) return undefined;
    const recipients = blocks.map((b): ReportRecipient => {
      const diagnostic = joinLines(b.lines);
      const state = /\(state (\d+)\)/.exec(diagnostic)?.[1];
      const byState = state ? STATES[state] : undefined;
      let reason = byState?.[1] ?? reasonIn(diagnostic, MESSAGES);
      // A precise status code in the server's reply says more than the state table.
      if (reason && /\b[45]\.[1-9]\.[1-9]\d?\b/.test(diagnostic)) reason = undefined;
      return {
        address: b.address,
        action: delayed ? 'delayed' : 'failed',
        diagnostic,
        command: byState?.[0],
        reason,
      };
    });
    return { type: 'delivery-status', format: 'gmail', recipients, original: originalFromText(original) };
  },
};
