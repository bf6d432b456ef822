import { describe, expect, it } from 'vitest';
import { row } from '../helpers/analyze.ts';

// One table per dialect: the real sample, and what a person reading it would conclude.
// Samples from the Sisimai set-of-emails (BSD-2-Clause, see test/fixtures/LICENSE-…).
const TABLES: Record<string, [file: string, kind: string, recipients: unknown[][]][]> = {
  qmail: [
    ['qmail/lhost-qmail-01.eml', 'bounce', [['kijitora@example.ne.jp', '5.5.0', '550', 'userunknown', true]]],
    [
      'qmail/lhost-qmail-02.eml',
      'bounce',
      [
        ['userunknown@example.jp', '5.1.1', '550', 'userunknown', true],
        // "does not like recipient." + "User Unknown" at RCPT: unknown, whatever the 5.2.1 says
        ['filtered@example.jp', '5.2.1', '550', 'userunknown', true],
      ],
    ],
    ['qmail/lhost-yahoo-01.eml', 'bounce', [['kijitora@example.org', '5.1.1', '550', 'userunknown', true]]],
  ],
  exim: [
    // Rejected at MAIL FROM: "Please use the smtp server of your ISP" is about us, not the address.
    ['exim/lhost-exim-01.eml', 'bounce', [['kijitora@example.ed.jp', '5.7.0', '550', 'blocked', false]]],
    [
      'exim/lhost-exim-05.eml',
      'bounce',
      [['kijitora@neko.example.co.jp', '5.1.1', '553', 'userunknown', true]],
    ],
    ['exim/lhost-mailru-01.eml', 'bounce', [['kijitora@example.jp', '5.1.1', '550', 'userunknown', true]]],
    // "has not yet been delivered … after more than 24 hours": a warning, still trying.
    ['exim/lhost-exim-41.eml', 'delayed', [['kijitora@example.net', '4.7.25', '450', 'requireptr', false]]],
  ],
  gmail: [
    ['gmail/lhost-gmail-01.eml', 'bounce', [['userunknown@example.jp', '5.1.1', '550', 'userunknown', true]]],
    ['gmail/lhost-gmail-06.eml', 'delayed', [['kijitora@example.jp', '4.2.2', '450', 'mailboxfull', false]]],
    // "The recipient server did not accept our requests to connect": retries ran out.
    ['gmail/lhost-gmail-10.eml', 'bounce', [['kijitora@6jo.example.co.jp', '5.4.7', null, 'expired', false]]],
  ],
  gmx: [
    ['gmx/lhost-gmx-01.eml', 'bounce', [['shironeko@example.jp', '5.2.2', null, 'mailboxfull', false]]],
    [
      'gmx/lhost-gmx-03.eml',
      'bounce',
      [
        // "SMTP error from remote server after RCPT command: … User Unknown"
        ['mikeneko@example.co.jp', '5.2.1', null, 'userunknown', true],
        ['sabineko@example.co.jp', '5.2.2', null, 'mailboxfull', false],
      ],
    ],
  ],
  mfilter: [
    // "550 unknown user" answered to DATA: a content filter's verdict, not a missing mailbox.
    ['mfilter/lhost-mfilter-01.eml', 'bounce', [['kijitora@example.com', '5.2.0', '550', 'filtered', false]]],
    ['mfilter/lhost-mfilter-03.eml', 'bounce', [['kijitora@example.org', '5.2.0', '550', 'filtered', false]]],
  ],
  x3: [['x3/lhost-x3-01.eml', 'bounce', [['kijitora@example.com', '5.3.0', '553', 'userunknown', true]]]],
  x1: [['x1/lhost-x1-01.eml', 'bounce', [['kijitora@example.co.jp', '5.2.0', null, 'filtered', false]]]],
  'google-workspace': [
    // "You're sending this from a different address or alias using the 'Send mail as' feature"
    [
      'google-workspace/lhost-googleworkspace-01.eml',
      'bounce',
      [['neko-nyaan-cat-meeting@google-groups.example.com', '5.1.8', null, 'rejected', false]],
    ],
  ],
  arf: [
    ['arf/arf-01.eml', 'complaint', [['redacted@example.net', null, null, 'feedback', false]]],
    [
      'arf/arf-17.eml',
      'complaint',
      [
        ['kijitora@example.com', null, null, 'feedback', false],
        ['sabatora@example.net', null, null, 'feedback', false],
      ],
    ],
    // Microsoft JMRP: not ARF, the recipient is X-HmXmrOriginalRecipient in the attached copy.
    ['arf/arf-23.eml', 'complaint', [['kijitora@example.com', null, null, 'feedback', false]]],
  ],
  rfc3834: [
    ['rfc3834/rfc3834-01.eml', 'autoreply', [['kijitora@example.net', null, null, 'vacation', false]]],
    ['rfc3834/not-a-bounce-01.eml', 'none', []],
  ],
};

for (const [dialect, rows] of Object.entries(TABLES)) {
  describe(`${dialect} reports`, () => {
    it.each(rows)('%s is %s with the right recipients', (file, kind, recipients) => {
      expect(row(file)).toEqual({ kind, recipients });
    });
  });
}
