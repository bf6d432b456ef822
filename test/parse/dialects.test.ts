import { describe, expect, it } from 'vitest';
import { analyzeMessage } from '../../src/analyze-message.ts';
import { DIALECTS } from '../../src/parse/dialects/index.ts';
import { row } from '../helpers/analyze.ts';
import { fixture } from '../helpers/fixtures.ts';

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
  ezweb: [
    // "The user(s) account is disabled." — EZweb's DSN says only "550 user unknown".
    [
      'ezweb/lhost-ezweb-02.eml',
      'bounce',
      [['this-local-part-does-not-exist-on-the-server@ezweb.ne.jp', '5.0.0', '550', 'suspend', false]],
    ],
    [
      'ezweb/lhost-ezweb-04.eml',
      'bounce',
      [['this-local-part-does-not-exist-on-the-server@ezweb.ne.jp', '5.1.1', '550', 'userunknown', true]],
    ],
  ],
  amavis: [
    // The DSN says "Reject … - SPAM"; the text names a duplicate From: header.
    [
      'amavis/lhost-amavis-03.eml',
      'bounce',
      [['kijitora@example.com', '5.7.0', '554', 'notcompliantrfc', false]],
    ],
  ],
  courier: [
    [
      'courier/lhost-courier-04.eml',
      'bounce',
      [['kijitora@example.cat', '5.0.0', null, 'hostunknown', true]],
    ],
  ],
  sendmail: [
    // The transcript's RCPT reply is the cause; a later "503 need RCPT command" is not.
    [
      'sendmail/lhost-sendmail-33.eml',
      'bounce',
      [['mailboxfull@neko.example.org', '5.7.1', '550', 'blocked', false]],
    ],
    // The multi-line reply is whole only in the transcript.
    [
      'sendmail/lhost-sendmail-43.eml',
      'bounce',
      [['kijitora@gmail.example.com', '5.7.1', '550', 'notcompliantrfc', false]],
    ],
    [
      'sendmail/lhost-sendmail-53.eml',
      'bounce',
      [['sironeko@example.com', '5.0.0', '550', 'securityerror', false]],
    ],
  ],
  domino: [
    ['domino/lhost-domino-01.eml', 'bounce', [['kijitora@example.jp', '5.1.1', null, 'userunknown', true]]],
    [
      'domino/lhost-domino-03.eml',
      'bounce',
      [['kijitora@neko.example.com', '5.0.0', null, 'networkerror', false]],
    ],
  ],
  'messaging-server': [
    // "Recipient address: @smtp.example.net:kijitora@server" is a route; the original address is judged.
    [
      'messaging-server/lhost-messagingserver-02.eml',
      'bounce',
      [['kijitora@example.net', '5.2.0', '522', 'mailboxfull', false]],
    ],
    [
      'messaging-server/lhost-messagingserver-03.eml',
      'bounce',
      [
        ['sabineko@example.org', '5.7.1', '550', 'filtered', false],
        ['mikeneko@example.org', '5.7.1', '550', 'filtered', false],
      ],
    ],
  ],
  postfix: [
    [
      'postfix/lhost-postfix-07.eml',
      'bounce',
      [['kijitora@user.example.or.jp', '5.2.0', '550', 'filtered', false]],
    ],
    [
      'postfix/lhost-postfix-75.eml',
      'bounce',
      [['kijitora@libsisimai.net', '4.3.0', '451', 'systemerror', false]],
    ],
  ],
  'fatal-errors': [
    [
      'fatal-errors/lhost-activehunter-01.eml',
      'bounce',
      [['kijitora@example.org', '5.1.1', '550', 'userunknown', true]],
    ],
    [
      'fatal-errors/lhost-biglobe-01.eml',
      'bounce',
      [['postmaster@mxr.biglobe.ne.jp', '5.2.2', null, 'mailboxfull', false]],
    ],
  ],
  'apache-james': [
    [
      'apache-james/lhost-apachejames-01.eml',
      'bounce',
      [['000000000000@vtext.example.com', '5.2.0', '550', 'filtered', false]],
    ],
  ],
  einsundeins: [
    [
      'einsundeins/lhost-einsundeins-02.eml',
      'bounce',
      [['kijitora@example.org', '5.3.4', null, 'mesgtoobig', false]],
    ],
  ],
  fml: [
    ['fml/lhost-fml-02.eml', 'bounce', [['neko-nyaan@example.org', '5.1.8', null, 'rejected', false]]],
    ['fml/lhost-fml-03.eml', 'bounce', [['neko@example.co.jp', '5.3.0', null, 'systemerror', false]]],
  ],
  'amazon-ses': [
    [
      'amazon-ses/lhost-amazonses-09.eml',
      'bounce',
      [['bounce@simulator.amazonses.com', '5.1.1', '550', 'userunknown', true]],
    ],
    // The raw SNS envelope, the notification inside as a JSON string.
    [
      'amazon-ses/lhost-amazonses-10.eml',
      'bounce',
      [['bounce@simulator.amazonses.com', '5.1.1', '550', 'userunknown', true]],
    ],
    [
      'amazon-ses/lhost-amazonses-11.eml',
      'complaint',
      [['complaint@simulator.amazonses.com', null, null, 'feedback', false]],
    ],
    [
      'amazon-ses/lhost-amazonses-12.eml',
      'delivered',
      [['success@simulator.amazonses.com', '2.6.0', '250', 'delivered', false]],
    ],
  ],
  exchange2003: [
    [
      'exchange2003/exchange2003-synthetic-01.eml',
      'bounce',
      [['kijitora@example.co.jp', '5.1.1', null, 'userunknown', true]],
    ],
  ],
  notes: [
    [
      'notes/notes-synthetic-01.eml',
      'bounce',
      [['kijitora@notes.example.jp', '5.1.1', null, 'userunknown', true]],
    ],
  ],
  opensmtpd: [
    [
      'opensmtpd/opensmtpd-synthetic-01.eml',
      'bounce',
      [['kijitora@example.jp', '5.2.2', '550', 'mailboxfull', false]],
    ],
  ],
  'imail-server': [
    [
      'imail-server/imail-synthetic-01.eml',
      'bounce',
      [['kijitora@imail.example.com', '5.1.1', null, 'userunknown', true]],
    ],
  ],
  x6: [['x6/x6-synthetic-01.eml', 'bounce', [['kijitora@example.jp', '5.1.1', '550', 'userunknown', true]]]],
  zoho: [
    [
      'zoho/zoho-synthetic-01.eml',
      'bounce',
      [['kijitora@example.co.jp', '5.1.1', '550', 'userunknown', true]],
    ],
  ],
  'google-groups': [
    [
      'google-groups/google-groups-synthetic-01.eml',
      'bounce',
      [['libsisimai@googlegroups.com', '5.1.8', null, 'rejected', false]],
    ],
  ],
  kddi: [
    [
      'kddi/kddi-synthetic-01.eml',
      'bounce',
      [['kijitora@au.example.jp', '5.2.2', null, 'mailboxfull', false]],
    ],
  ],
  mailmarshal: [
    [
      'mailmarshal/mailmarshal-synthetic-01.eml',
      'bounce',
      [['neko@example.com', '5.1.1', '550', 'userunknown', true]],
    ],
  ],
  rfc3464: [
    // No blank lines between the recipient groups (AOL).
    [
      'rfc3464/rhost-aol-03.eml',
      'bounce',
      [
        ['sabineko@example.jp', '5.2.2', '550', 'mailboxfull', false],
        ['mikeneko@example.jp', '5.1.1', '550', 'userunknown', true],
      ],
    ],
    // Action before Final-Recipient, Original-Recipient after.
    ['rfc3464/rfc3464-43.eml', 'bounce', [['jp1rb6cm3@mozmail.com', '4.3.0', '451', 'onhold', false]]],
  ],
  providers: [
    // Provider rules: the same generic DSN, read with the receiving service's own codes.
    [
      'providers/lhost-exchange2007-03.eml',
      'bounce',
      [['kijitora@neko.example.com', '5.2.3', '550', 'exceedlimit', false]],
    ],
    ['providers/rhost-aol-06.eml', 'bounce', [['neko@libsisimai.org', '5.4.4', null, 'notaccept', true]]],
    ['providers/rhost-cox-01.eml', 'bounce', [['recipient55@cox.net', '5.1.0', '550', 'blocked', false]]],
    [
      'providers/rhost-facebook-03.eml',
      'bounce',
      [['kijitora@facebook.com', '5.1.1', '550', 'filtered', false]],
    ],
    [
      'providers/rhost-godaddy-02.eml',
      'bounce',
      [['kijitora@example.com', '5.1.3', '553', 'blocked', false]],
    ],
    [
      'providers/rhost-gsuite-02.eml',
      'bounce',
      [['kijitora@example.it', '5.0.0', null, 'userunknown', true]],
    ],
    [
      'providers/rhost-mimecast-02.eml',
      'bounce',
      [['kijitora@sample.co.uk', '5.0.0', '554', 'virusdetected', false]],
    ],
    [
      'providers/rhost-nttdocomo-02.eml',
      'bounce',
      [['azumakuniyuki@ntt.docomo.example.ne.jp', '5.0.0', '550', 'rejected', false]],
    ],
    // Synthetic, from the providers' documented codes (OFR_416, OFR004_104, DT:SPM, MI:SPF).
    [
      'providers/rhost-orange-synthetic-01.eml',
      'bounce',
      [['nadine@orange.fr', '5.1.1', '550', 'userunknown', true]],
    ],
    [
      'providers/rhost-orange-synthetic-02.eml',
      'bounce',
      [['marc@wanadoo.fr', '4.0.0', '421', 'toomanyconn', false]],
    ],
    [
      'providers/rhost-orange-synthetic-03.eml',
      'bounce',
      [['lea@orange.fr', '5.7.1', '550', 'spamdetected', false]],
    ],
    [
      'providers/rhost-netease-synthetic-01.eml',
      'bounce',
      [['wang@163.com', '5.0.0', '554', 'spamdetected', false]],
    ],
    [
      'providers/rhost-netease-synthetic-02.eml',
      'bounce',
      [['li@126.com', '5.0.0', '550', 'authfailure', false]],
    ],
    [
      'providers/rhost-tencent-01.eml',
      'bounce',
      [['nekochan@qq.example.cn', '5.0.0', '550', 'toomanyconn', false]],
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
  // Synthetic, from dma's mail.c bounce() and net.c's error texts.
  dma: [
    [
      'dma/dma-synthetic-01.eml',
      'bounce',
      [['kijitora@receiver.example', '5.1.1', '550', 'userunknown', true]],
    ],
    // "DNS lookup failure: host nowhere.example not found": the domain does not exist
    [
      'dma/dma-synthetic-02.eml',
      'bounce',
      [['shironeko@nowhere.example', '5.1.2', null, 'hostunknown', true]],
    ],
    // "did not like our final DATA": the message, not the mailbox
    [
      'dma/dma-synthetic-03.eml',
      'bounce',
      [['mikeneko@receiver.example', '5.3.4', '552', 'mesgtoobig', false]],
    ],
  ],
  // Synthetic, from PowerMTA's documented DSN field X-PowerMTA-BounceCategory.
  powermta: [
    [
      'powermta/powermta-synthetic-01.eml',
      'bounce',
      [
        // "550 Unknown user" with no command: the category says bad-mailbox
        ['kijitora@receiver.example', '5.0.0', '550', 'userunknown', true],
        ['shironeko@receiver.example', '5.0.0', '552', 'mailboxfull', false],
        // spam-related is a coarse default pattern: the text (a blocklist) decides
        ['mikeneko@receiver.example', '5.7.1', '554', 'blocked', false],
      ],
    ],
  ],
  generic: [
    // Synthetic, written from the documented layout (see test/parse/generic.test.ts for the rest).
    [
      'generic/generic-synthetic-01-lone-address.eml',
      'bounce',
      [['alice.nobody@receiver.example', '5.1.1', '550', 'userunknown', true]],
    ],
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

describe('the dialect list', () => {
  it('has, for every dialect, a real or documented sample that it reads', () => {
    const formats = new Set(
      Object.values(TABLES)
        .flat()
        .map(([file]) => analyzeMessage(fixture(file)).analysis.format),
    );
    for (const d of DIALECTS) expect(formats, d.name).toContain(d.name);
  });
});
