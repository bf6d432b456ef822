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

// Progress (Ipswitch) IMail Server, X-Mailer: <SMTP32 v8.22>:
//
//   Subject: Undeliverable Mail
//
//   Unknown user: kijitora@example.com
//
//   Original message follows.

const REASONS: PhraseTable = [
  ['hostunknown', ['Unknown host']],
  ['userunknown', ['Unknown user', 'Invalid final delivery userid']],
  ['mailboxfull', ['User mailbox exceeds allowed size']],
  ['virusdetected', ['Requested action not taken: virus detected']],
  ['spamdetected', ['Blacklisted URL in message']],
  ['expired', ['Delivery failed ']],
];

export const imailServer: Dialect = {
  name: 'imail-server',
  detect(view: MessageView): boolean {
    return (
      view.subject.startsWith('Undeliverable Mail ') ||
      (view.headers.get('x-mailer') ?? '').startsWith('<SMTP32 v')
    );
  },
  parse(view: MessageView): Report | undefined {
    const [report, original] = splitAtOriginal(view.text, ['Original message follows.']);
    const recipients: ReportRecipient[] = [];
    const response: string[] = [];
    let inResponse = false;
    for (const line of report.split('\n')) {
      // "Unknown user: kijitora@example.com", "undeliverable to kijitora@example.com"
      const m =
        /^(.{8,}?): (\S+@\S+)\s*$/.exec(line) ?? /^undeliverable (?:to )?(.*?)(\S+@\S+)\s*$/.exec(line);
      const address = normalizeAddress(m?.[2]);
      if (address && m) {
        recipients.push({ address, action: 'failed', diagnostic: line.trim() });
        continue;
      }
      if (line.includes('Body of message generated response:')) inResponse = true;
      if (inResponse && line.trim()) response.push(line);
    }
    if (recipients.length === 0) return undefined;
    return {
      type: 'delivery-status',
      format: 'imail-server',
      recipients: recipients.map((r) => {
        const diagnostic = joinLines([...response, r.diagnostic ?? '']);
        const reason = reasonIn(diagnostic, REASONS);
        return { ...r, diagnostic, reason };
      }),
      original: originalFromText(original),
    };
  },
};
