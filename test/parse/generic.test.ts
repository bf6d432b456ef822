import { describe, expect, it } from 'vitest';
import { analyzeMessage } from '../../src/analyze-message.ts';
import { fixture } from '../helpers/fixtures.ts';
import { makeDsn } from '../helpers/messages.ts';

// The generic reader's fixtures are synthetic (test/fixtures/generic), one per pattern a
// notice from an unknown server uses, written from the formats as documented; each carries
// an inline copy of the returned message whose To and Cc must never come out as failed.
const ROWS: [file: string, kind: string, recipients: unknown[][]][] = [
  [
    'generic-synthetic-01-lone-address.eml',
    'bounce',
    [['alice.nobody@receiver.example', '5.1.1', 'userunknown', true]],
  ],
  [
    'generic-synthetic-02-german.eml',
    'bounce',
    [['bernd.weg@empfaenger.example', '5.1.1', 'userunknown', true]],
  ],
  [
    'generic-synthetic-03-french-blocks.eml',
    'bounce',
    [
      ['claire.absente@destinataire.example', '5.1.1', 'userunknown', true],
      ['denis.plein@destinataire.example', '5.2.2', 'mailboxfull', false],
    ],
  ],
  [
    'generic-synthetic-04-spanish-colon.eml',
    'bounce',
    [['elena.nadie@receptor.example', '5.1.1', 'userunknown', true]],
  ],
  [
    'generic-synthetic-05-italian-transcript.eml',
    'bounce',
    [['franco.inesistente@destinatario.example', '5.1.1', 'userunknown', true]],
  ],
  [
    'generic-synthetic-06-portuguese-code-first.eml',
    'bounce',
    [['gabriela.sumida@destinatario.example', '5.1.1', 'userunknown', true]],
  ],
  [
    'generic-synthetic-07-dutch.eml',
    'bounce',
    [['hendrik.weg@ontvanger.example', '5.1.1', 'userunknown', true]],
  ],
  [
    'generic-synthetic-08-japanese.eml',
    'bounce',
    [['ichiro.fuzai@jushin.example', '5.1.1', 'userunknown', true]],
  ],
  [
    'generic-synthetic-09-chinese.eml',
    'bounce',
    [['jun.buzai@shoujian.example', '5.1.1', 'userunknown', true]],
  ],
  [
    'generic-synthetic-10-russian-full.eml',
    'bounce',
    [['kirill.polon@poluchatel.example', '5.2.2', 'mailboxfull', false]],
  ],
  // "will continue to try": a warning, never a failure
  [
    'generic-synthetic-11-delay.eml',
    'delayed',
    [['larry.later@receiver.example', '4.4.1', 'expired', false]],
  ],
  // a person's mail about an undeliverable parcel is not a notice
  ['generic-synthetic-12-not-a-notice.eml', 'none', []],
  [
    'generic-synthetic-13-quoted-local-part.eml',
    'bounce',
    [['"neko....nyaan...."@receiver.example', '5.1.1', 'userunknown', true]],
  ],
  // a gateway's "Sent <<<" / "Received >>>" transcript
  [
    'generic-synthetic-14-gateway-transcript.eml',
    'bounce',
    [['olga.away@receiver.example', '5.1.1', 'userunknown', true]],
  ],
  // the address with its host in parentheses, the server's reply in a later paragraph
  [
    'generic-synthetic-15-address-with-host.eml',
    'bounce',
    [['peter.gone@receiver.example', '5.2.2', 'mailboxfull', false]],
  ],
  // RCPT accepted, DATA refused: a content verdict, never a missing mailbox
  [
    'generic-synthetic-16-data-rejection.eml',
    'bounce',
    [['rita.filtered@receiver.example', '5.7.1', 'spamdetected', false]],
  ],
];

function verdicts(bytes: Buffer, genericOnly = false) {
  const { analysis } = analyzeMessage(bytes, { genericOnly });
  return {
    kind: analysis.kind,
    recipients: analysis.recipients.map((r) => [r.address, r.status ?? null, r.reason, r.hard]),
  };
}

describe('the generic reader', () => {
  it.each(ROWS)('reads %s as %s', (file, kind, recipients) => {
    const bytes = fixture(`generic/${file}`);
    // The same with the family dialects on and off: no family claims these.
    expect(verdicts(bytes)).toEqual({ kind, recipients });
    expect(verdicts(bytes, true)).toEqual({ kind, recipients });
  });

  it("never reports the returned message's addresses or the notice's own From and To", () => {
    for (const [file] of ROWS) {
      const { analysis } = analyzeMessage(fixture(`generic/${file}`));
      const addresses = analysis.recipients.map((r) => r.address);
      for (const never of [
        'list-copy@receiver.example', // To: of the returned copy
        'bystander@receiver.example', // Cc: of the returned copy
        'news@sender.example', // the sender
        'bounces@sender.example', // the notice's To
        'mailer-daemon@mx.sender.example', // the notice's From
      ])
        expect(addresses, file).not.toContain(never);
    }
  });
});

describe('evidence precedence', () => {
  const withHeaders = (bytes: Buffer, headers: string[]) =>
    Buffer.from(`${headers.join('\r\n')}\r\n${bytes.toString('latin1')}`, 'latin1');

  it('reads a DSN that also says Auto-Submitted: auto-replied as a failure', () => {
    const dsn = withHeaders(
      makeDsn({ recipients: [{ address: 'gone@receiver.example', status: '5.1.1' }] }),
      ['Auto-Submitted: auto-replied', 'Precedence: bulk'],
    );
    expect(verdicts(dsn)).toEqual({
      kind: 'bounce',
      recipients: [['gone@receiver.example', '5.1.1', 'userunknown', true]],
    });
  });

  it('reads a postmaster notice whose subject quotes an out-of-office reply as a failure', () => {
    const notice = Buffer.from(
      [
        'Return-Path: <>',
        'From: postmaster@mail.receiver.example',
        'To: bounces@sender.example',
        'Subject: Undeliverable: Automatic reply: Out of Office',
        'Auto-Submitted: auto-replied',
        '',
        'Delivery has failed to these recipients or groups:',
        '',
        'paula.gone@receiver.example',
        "The email address you entered couldn't be found.",
        '',
      ].join('\r\n'),
    );
    expect(verdicts(notice).kind).toBe('bounce');
    expect(verdicts(notice).recipients[0]?.[0]).toBe('paula.gone@receiver.example');
  });

  it('still reads a real out-of-office reply as an automatic reply', () => {
    const reply = Buffer.from(
      [
        'From: Quentin <quentin@receiver.example>',
        'To: news@sender.example',
        'Subject: Automatic reply: December news',
        'Auto-Submitted: auto-replied',
        '',
        'I am out of the office until Monday and could not be reached.',
        '',
      ].join('\r\n'),
    );
    expect(verdicts(reply).kind).toBe('autoreply');
  });

  it('reads a complaint before any failure wording in it', () => {
    const arf = fixture('arf/arf-01.eml');
    expect(verdicts(arf).kind).toBe('complaint');
  });

  it('trusts the DSN fields over the free-form text next to them', () => {
    // The text names another address and another code; the fields say who and why.
    const dsn = makeDsn({
      recipients: [
        { address: 'field@receiver.example', status: '5.2.2', diagnostic: '552 5.2.2 Mailbox full' },
      ],
    });
    const text = dsn
      .toString('latin1')
      .replace(
        "I'm sorry to have to inform you that your message could not be delivered.",
        '<other@receiver.example>: 550 5.1.1 User unknown',
      );
    expect(verdicts(Buffer.from(text, 'latin1'))).toEqual({
      kind: 'bounce',
      recipients: [['field@receiver.example', '5.2.2', 'mailboxfull', false]],
    });
  });
});
