import { normalizeAddress } from '../address.ts';
import type { MessageView } from '../message-view.ts';
import type { Report } from '../report.ts';
import {
  type Dialect,
  type PhraseTable,
  joinLines,
  originalFromText,
  reasonIn,
  splitAtOriginal,
} from './dialect.ts';

// DragonFly Mail Agent (dma), mail.c bounce(): one notice per failed recipient, From
// "MAILER-DAEMON <>", Subject "Mail delivery failed":
//
//   This is the DragonFly Mail Agent v0.13 at mx.example.org.
//
//   There was an error delivering your mail to <kijitora@example.jp>.
//
//   remote host did not like our RCPT TO:
//   550 5.1.1 <kijitora@example.jp>: Recipient address rejected: User unknown
//
//   Original message follows.            (or "Message headers follow.")
//
// The reason line is dma's errmsg: net.c writes "remote host did not like our %s:\n%s"
// with the command (MAIL FROM, RCPT TO, DATA, final DATA) and the server's reply.

const START = 'There was an error delivering your mail to <';
const ORIGINAL = ['Original message follows.', 'Message headers follow.'];

/** net.c's "remote host did not like our …": which command the reply answered. */
const COMMANDS: PhraseTable = [
  ['MAIL', ['did not like our MAIL FROM']],
  ['RCPT', ['did not like our RCPT TO']],
  ['DATA', ['did not like our DATA', 'did not like our final DATA']],
];

/** dma's own errmsg texts (net.c, dma.c) that name the reason. */
const REASONS: PhraseTable = [
  ['hostunknown', ['DNS lookup failure: host ']], // net.c: "DNS lookup failure: host %s not found"
  ['expired', ['Could not deliver for the last ']], // dma.c: "… %d seconds. Giving up."
  ['securityerror', ['SMTP login to ']], // net.c: "SMTP login to %s failed" (our smarthost credentials)
  ['systemerror', ['corrupted queue file', 'can not seek:', 'Internal error: badly formed address']],
];

export const dma: Dialect = {
  name: 'dma',
  detect(view: MessageView): boolean {
    return view.text.includes('This is the DragonFly Mail Agent') || view.text.includes(START);
  },
  parse(view: MessageView): Report | undefined {
    const [report, original] = splitAtOriginal(view.text, ORIGINAL);
    const at = report.indexOf(START);
    if (at === -1) return undefined;
    const end = report.indexOf('>', at + START.length);
    const address = normalizeAddress(report.slice(at + START.length, end === -1 ? undefined : end));
    if (!address) return undefined;
    const after = report.slice(report.indexOf('\n', at) + 1);
    const diagnostic = joinLines(after.split('\n'));
    return {
      type: 'delivery-status',
      format: 'dma',
      recipients: [
        {
          address,
          action: 'failed',
          diagnostic,
          command: reasonIn(diagnostic, COMMANDS),
          reason: reasonIn(diagnostic, REASONS),
        },
      ],
      original: originalFromText(original),
    };
  },
};
