import { normalizeAddress } from '../address.ts';
import { findEntity } from '../entity-tools.ts';
import type { MessageView } from '../message-view.ts';
import type { Report, ReportRecipient } from '../report.ts';
import { readDeliveryStatus } from '../rfc3464.ts';
import {
  type Dialect,
  type PhraseTable,
  joinLines,
  originalFromText,
  reasonIn,
  splitAtOriginal,
} from './dialect.ts';

// Exim (deliver.c) and the services that run it (Mail.ru, cPanel hosts, McAfee SaaS):
//
//   This message was created automatically by mail delivery software.
//
//   A message that you sent could not be delivered to one or more of its
//   recipients. This is a permanent error. The following address(es) failed:
//
//     kijitora@example.jp
//       SMTP error from remote mail server after RCPT TO:<kijitora@example.jp>:
//       host neko.example.jp [192.0.2.222]: 550 5.1.1 <kijitora@example.jp>... User Unknown
//
//   ------ This is a copy of the message, including all the headers. ------

const SUBJECTS = [
  'Delivery Status Notification',
  'Mail delivery failed',
  'Mail failure',
  'Message frozen',
  'Warning: message ',
  'error(s) in forwarding or filtering',
];

const ORIGINAL = [
  '------ This is a copy of the message, including all the headers. ------', // deliver.c
  "------ This is a copy of the message's headers. ------",
  '------ This is a copy of the body of the message, without the headers. ------',
  'Included is a copy of the message header:', // McAfee (MXLogic)
];

const START = [
  'This message was created automatically by mail delivery software.',
  'A message that you sent was rejected by the local scannning code',
  'A message that you sent contained one or more recipient addresses ',
  'A message that you sent could not be delivered to all of its recipients',
  ' has been frozen',
  ' was frozen on arrival',
  ' router encountered the following error(s):',
];

/** Exim's own messages that name the reason. */
const REASONS: PhraseTable = [
  ['userunknown', ['user not found']], // route.c: getpwnam() returned NULL (user not found)
  [
    'hostunknown',
    [
      'all host address lookups failed permanently', // transports/smtp.c
      'all relevant MX records point to non-existent hosts', // routers/dnslookup.c
      'Unrouteable address', // route.c
    ],
  ],
  ['mailboxfull', ['mailbox is full', 'error: quota exceed']], // transports/appendfile.c
  [
    'notaccept',
    ['an MX or SRV record indicated no SMTP service', 'no host found for existing SMTP connection'],
  ],
  [
    'syntaxerror',
    [
      'angle-brackets nested too deep',
      'expected word or "<"',
      'domain missing in source-routed address',
      'malformed address:',
    ],
  ],
  [
    'systemerror',
    [
      'delivery to file forbidden',
      'delivery to pipe forbidden',
      'local delivery failed',
      'LMTP error after ',
    ],
  ],
  ['contenterror', ['Too many "Received" headers']], // deliver.c: suspected mail loop
];

/** Retry and freeze messages: delivery did not happen in time. */
const EXPIRED = [
  'retry timeout exceeded', // retry.c
  'No action is required on your part', // deliver.c, the delay warning
  'retry time not reached for any host after a long failure period', // smtp.c
  'all hosts have been failing for a long time and were last tried',
  'Delay reason: ',
  'has been frozen',
  'was frozen on arrival by ',
];

/** "SMTP error from remote mail server after RCPT TO:<…>:" → RCPT */
function commandOf(diagnostic: string): string | undefined {
  const m = /(?:SMTP error from remote (?:mail server|mailer)|LMTP error) after ([^:<]+)/.exec(diagnostic);
  if (!m) return undefined;
  const after = m[1]!.trim().toUpperCase();
  if (after.startsWith('INITIAL CONNECTION')) return 'CONN';
  if (after.startsWith('END OF DATA') || after.startsWith('DATA')) return 'DATA';
  if (after.startsWith('MAIL')) return 'MAIL';
  if (after.startsWith('RCPT')) return 'RCPT';
  if (after.startsWith('EHLO') || after.startsWith('HELO')) return after.slice(0, 4);
  if (after.startsWith('STARTTLS')) return 'STARTTLS';
  return undefined;
}

function isEximMessageId(id: string | undefined): boolean {
  // Message-Id: <E1P1YNN-0003AD-Ga@example.org>
  return !!id && /^<[0-9A-Za-z]{7}-[0-9A-Za-z]{6}-[0-9A-Za-z]{2}@/.test(id.trim());
}

export const exim: Dialect = {
  name: 'exim',
  detect(view: MessageView): boolean {
    let votes = 0;
    if (view.from.includes('Mail Delivery System')) votes++;
    if (SUBJECTS.some((s) => view.subject.includes(s))) votes++;
    if (isEximMessageId(view.headers.get('message-id'))) votes++;
    const thirdParty =
      view.headers.has('x-mx-bounce') || view.headers.has('x-mxl-hash') || view.headers.has('x-mxl-notehash');
    return votes >= 2 || thirdParty || view.text.includes(START[0]!);
  },
  parse(view: MessageView): Report | undefined {
    // "----- This is a copy …" with five hyphens occurs too.
    const text = view.text.replace(/\n----- This /g, '\n------ This ');
    const [report, original] = splitAtOriginal(text, ORIGINAL);
    const all = report.split('\n');
    const start = all.findIndex((l) => START.some((s) => l.includes(s)));
    if (start === -1) return undefined;
    const delayed = /has not yet been delivered/.test(report) || view.subject.startsWith('Warning: message ');
    const blocks: { address?: string; lines: string[]; alias?: string }[] = [];
    let dsnStarted = false;
    for (const line of all.slice(start + 1)) {
      if (/^(Reporting-MTA|Final-Recipient|Action|Status):/i.test(line)) dsnStarted = true;
      if (dsnStarted) continue;
      const address = recipientOf(line);
      if (address) {
        blocks.push({ address: address.address, lines: address.rest ? [address.rest] : [] });
        continue;
      }
      // "  pipe to |/usr/local/bin/prog" or "  save to /path": a delivery to a program or a
      // file; the address it was for comes in the "generated by" line below.
      if (/^ {2}(pipe to \||save to |\/)/.test(line)) {
        blocks.push({ lines: [line] });
        continue;
      }
      const current = blocks.at(-1);
      if (!current || !line.trim()) continue;
      const generated =
        /\((?:generated from|generated by) ([^\s)]+@[^\s)]+)\)?|generated by ([^\s]+@[^\s]+)/.exec(line);
      if (generated) {
        current.alias = normalizeAddress(generated[1] ?? generated[2]);
        continue;
      }
      current.lines.push(line);
    }
    const failedHeader = (view.headers.get('x-failed-recipients') ?? '')
      .split(',')
      .map((a) => normalizeAddress(a))
      .filter((a): a is string => Boolean(a));
    for (const [i, b] of blocks.entries()) b.address ??= b.alias ?? failedHeader[i] ?? failedHeader[0];
    if (blocks.length === 0) for (const address of failedHeader) blocks.push({ address, lines: [] });
    const known = blocks.filter((b): b is { address: string; lines: string[] } => Boolean(b.address));
    if (known.length === 0) return undefined;
    // Exim with DSN support also attaches message/delivery-status: its Status fields help.
    const statusPart = findEntity(view.entity, (e) => e.contentType.mimeType === 'message/delivery-status');
    const dsn = statusPart ? readDeliveryStatus(statusPart.text(64 * 1024)) : undefined;
    const recipients = known.map((b): ReportRecipient => {
      const diagnostic = joinLines(b.lines);
      const fromDsn = dsn?.recipients.find((r) => r.address === b.address);
      let reason = reasonIn(diagnostic, REASONS);
      if (!reason && EXPIRED.some((n) => diagnostic.includes(n))) reason = 'expired';
      const command = commandOf(diagnostic);
      const host = /host ([\w.-]+\.[a-z]{2,})\b/i.exec(diagnostic)?.[1];
      return {
        address: b.address,
        action: delayed ? 'delayed' : (fromDsn?.action ?? 'failed'),
        status: fromDsn?.status,
        diagnostic: diagnostic || fromDsn?.diagnostic,
        command,
        reason,
        remoteMta: host ?? fromDsn?.remoteMta,
      };
    });
    return {
      type: 'delivery-status',
      format: 'exim',
      reportingMta: dsn?.reportingMta,
      recipients,
      original: originalFromText(original),
    };
  },
};

/**
 * "  kijitora@example.jp", "  kijitora@example.jp: forced freeze",
 * "  mikeneko@example.jp <nekochan@example.org>: …": two spaces, then the address.
 */
function recipientOf(line: string): { address: string; rest?: string } | undefined {
  if (!line.startsWith('  ') || line[2] === ' ' || line.includes('pipe to |')) return undefined;
  const body = line.slice(2);
  if (body.indexOf('@') < 1 || !body.includes('.')) return undefined;
  const bracket = /^[^<]*<([^<>\s]+@[^<>\s]+)>:\s*(.*)$/.exec(body);
  if (bracket) {
    const address = normalizeAddress(bracket[1]);
    return address ? { address, rest: bracket[2] } : undefined;
  }
  const colon = body.lastIndexOf(': ');
  const candidate = colon === -1 ? body.trim().replace(/:$/, '') : body.slice(0, colon);
  if (/\s/.test(candidate.trim())) return undefined;
  const address = normalizeAddress(candidate);
  return address ? { address, rest: colon === -1 ? undefined : body.slice(colon + 2) } : undefined;
}
