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

// qmail-send and its clones (Yahoo! Mail, vpopmail hosts …):
//
//   Hi. This is the qmail-send program at mx4.example.jp.
//   I'm afraid I wasn't able to deliver your message to the following addresses.
//   This is a permanent error; I've given up. Sorry it didn't work out.
//
//   <kijitora@example.jp>:
//   192.0.2.153 does not like recipient.
//   Remote host said: 550 5.1.1 <kijitora@example.jp>... User Unknown
//   Giving up on 192.0.2.153.
//
//   --- Below this line is a copy of the message.

const ORIGINAL = [
  '--- Below this line is a copy of the message.', // qmail-send.c
  '--- Below this line is a copy of the mail header.',
  '--- Below the next line is a copy of the message.',
  '--- Mensaje original adjunto.',
  'Original message follows.',
];

const START = [
  'Hi. This is the qmail', // qmail-send.c: "Hi. This is the qmail-send program at "
  'He/Her is not ',
  'unable to deliver your message to the following addresses',
  'Su mensaje no pudo ser entregado',
  'Sorry, we were unable to deliver your message to the following address', // Yahoo!
  'This is the machine generated message from mail service',
  'This is the mail delivery agent at',
  'Unable to deliver message to the following address',
  'Unfortunately, your mail was not delivered to the following address:',
  'Your mail message to the following address',
  'Your message to the following addresses',
  "We're sorry.",
];

/** qmail-remote.c's own words say which SMTP command failed. */
const COMMANDS: PhraseTable = [
  ['CONN', [' but greeting failed.']], // quit("ZConnected to "," but greeting failed")
  ['EHLO', [' but my name was rejected.']], // quit("ZConnected to "," but my name was rejected")
  ['MAIL', [' but sender was rejected.']], // quit("DConnected to "," but sender was rejected")
  ['RCPT', [' does not like recipient.']], // out(" does not like recipient.\n")
  ['DATA', [' failed on DATA command', ' failed after I sent the message']],
];

/** Messages of qmail and its patches that name the reason outright. */
const REASONS: PhraseTable = [
  ['hostunknown', ["Sorry, I couldn't find any host "]], // qmail-remote.c:68 (#4.1.2 / #5.1.2)
  ['mailboxfull', ['disk quota exceeded']], // error_str.c: X(EDQUOT,"disk quota exceeded")
  ['mesgtoobig', ['Message size exceeds fixed maximum message size:']],
  [
    'networkerror',
    [
      "Sorry, I wasn't able to establish an SMTP connection",
      "Sorry. Although I'm listed as a best-preference MX or A for that host",
    ],
  ],
  ['notaccept', ["Sorry, I couldn't find a mail exchanger or IP address"]], // notqmail 1.08, null MX
  ['systemerror', ['bad interpreter: No such file or directory', 'system error', 'Unable to']],
  ['systemfull', ['Requested action not taken: mailbox unavailable (not enough free space)']],
  ['userunknown', ['no mailbox here by that name']], // qmail-local.c: "Sorry, no mailbox here by that name. (#5.1.1)"
  // qmail-ldap patch
  ['exceedlimit', ['The message exeeded the maximum size the user accepts']],
  [
    'suspend',
    [
      'Mailaddress is administrativly disabled',
      'Mailaddress is administrativley disabled',
      'Mailaddress is administratively disabled',
      'Mailaddress is administrativeley disabled',
    ],
  ],
  [
    'systemerror',
    [
      'Automatic homedir creator crashed',
      'Illegal value in LDAP attribute',
      'LDAP attribute is not given but mandatory',
      'Timeout while performing search on LDAP server',
      'Too many results returned but needs to be unique',
      'Permanent error while executing qmail-forward',
      'Temporary error in automatic homedir creation',
      'Temporary error while executing qmail-forward',
      'Temporary failure in LDAP lookup',
      'Unable to contact LDAP server',
      'Unable to login into LDAP server, bad credentials',
    ],
  ],
];

const EXPIRED = 'this message has been in the queue too long.'; // qmail-send.c:922
const RECIPIENT_LINE = /^<([^<>\s]+@[^<>\s]+)>:\s*(.*)$/;

export const qmail: Dialect = {
  name: 'qmail',
  detect(view: MessageView): boolean {
    return (
      /failure notice/i.test(view.subject) ||
      view.received.some((r) => r.includes('(qmail ')) ||
      view.text.includes('Hi. This is the qmail') ||
      // qmail clones with their own first line, "X2" among them (Subject: Delivery failure)
      /^(Unable to deliver message to the following address|Sorry, we were unable to deliver your message to the following address)/m.test(
        view.text,
      )
    );
  },
  parse(view: MessageView): Report | undefined {
    const [report, original] = splitAtOriginal(view.text, ORIGINAL);
    const all = report.split('\n');
    const start = all.findIndex((l) => START.some((s) => l.includes(s)));
    if (start === -1) return undefined;
    const blocks: { address: string; lines: string[]; said?: string }[] = [];
    for (const line of all.slice(start + 1)) {
      const m = RECIPIENT_LINE.exec(line.trim());
      if (m) {
        const address = normalizeAddress(m[1]);
        if (!address) continue;
        blocks.push({ address, lines: m[2] ? [m[2]] : [] });
        continue;
      }
      const current = blocks.at(-1);
      if (!current || !line.trim()) continue;
      current.lines.push(line);
      if (line.startsWith('Remote host said:')) current.said = line;
    }
    if (blocks.length === 0) return undefined;
    return {
      type: 'delivery-status',
      format: 'qmail',
      recipients: blocks.map(toRecipient),
      original: originalFromText(original),
    };
  },
};

function toRecipient(b: { address: string; lines: string[]; said?: string }): ReportRecipient {
  const diagnostic = joinLines(b.lines);
  let command = reasonIn(diagnostic, COMMANDS);
  if (!command && diagnostic.includes('no SMTP connection got far enough')) {
    // "Sorry, no SMTP connection got far enough; most progress was RCPT TO response; …"
    const m = /most progress was (\w+)/.exec(diagnostic);
    command = m?.[1]?.toUpperCase().slice(0, 4);
  }
  let reason: string | undefined;
  if (command === 'EHLO' || command === 'HELO') reason = 'blocked';
  else if (diagnostic.includes(' does not like recipient.') && diagnostic.includes(EXPIRED))
    reason = 'onhold';
  else {
    for (const text of [b.said ?? '', diagnostic]) {
      reason = reasonIn(text, REASONS);
      if (!reason && text.includes(EXPIRED)) reason = 'expired';
      if (reason) break;
    }
  }
  const host = /(?:Giving up on|Connected to|remote host) ([\w.:-]+)/
    .exec(diagnostic)?.[1]
    ?.replace(/\.$/, '');
  return { address: b.address, action: 'failed', diagnostic, command, reason, remoteMta: host };
}
