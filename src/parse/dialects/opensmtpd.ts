import { normalizeAddress } from '../address.ts';
import type { MessageView } from '../message-view.ts';
import type { Report, ReportRecipient } from '../report.ts';
import { type Dialect, type PhraseTable, originalFromText, reasonIn, splitAtOriginal } from './dialect.ts';

// OpenSMTPD (smtpd/bounce.c):
//
//       Hi!
//
//       This is the MAILER-DAEMON, please DO NOT REPLY to this e-mail.
//
//       An error has occurred while attempting to deliver a message for
//       the following list of recipients:
//
//   kijitora@example.jp: 550 5.2.2 <kijitora@example>... Mailbox Full
//
//       Below is a copy of the original message:

const REASONS: PhraseTable = [
  ['expired', ['Envelope expired']], // smtpd/queue.c
  ['securityerror', ['Could not retrieve credentials']], // smtpd/mta.c
  ['hostunknown', ['Invalid domain name', 'Domain does not exist']],
  [
    'networkerror',
    [
      'Address family mismatch on destination MXs',
      'All routes to destination blocked',
      'bad DNS lookup error code',
      'Could not retrieve source address',
      'Loop detected',
      'Network error on destination MXs',
      'No valid route to remote MX',
      'No valid route to destination',
      'Temporary failure in MX lookup',
    ],
  ],
  [
    'notaccept',
    ['Destination seem to reject all mails', 'No MX found for domain', 'No MX found for destination'],
  ],
];

export const opensmtpd: Dialect = {
  name: 'opensmtpd',
  detect(view: MessageView): boolean {
    return (
      view.text.includes('This is the MAILER-DAEMON, please DO NOT REPLY to this') ||
      view.received.some((r) => r.includes(' (OpenSMTPD) with '))
    );
  },
  parse(view: MessageView): Report | undefined {
    const [report, original] = splitAtOriginal(view.text, ['    Below is a copy of the original message:']);
    const lines = report.split('\n');
    const start = lines.findIndex((l) =>
      l.includes('This is the MAILER-DAEMON, please DO NOT REPLY to this'),
    );
    if (start === -1) return undefined;
    const delayed = report.includes('A message is delayed for more than');
    const recipients: ReportRecipient[] = [];
    for (const line of lines.slice(start + 1)) {
      const m = /^(\S+@\S+?): (.+)$/.exec(line.trim());
      const address = normalizeAddress(m?.[1]);
      if (!address || !m) continue;
      const diagnostic = m[2]!;
      const reason = reasonIn(diagnostic, REASONS);
      recipients.push({ address, action: delayed ? 'delayed' : 'failed', diagnostic, reason });
    }
    if (recipients.length === 0) return undefined;
    return { type: 'delivery-status', format: 'opensmtpd', recipients, original: originalFromText(original) };
  },
};
