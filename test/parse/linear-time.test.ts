import { describe, expect, it } from 'vitest';
import { analyzeMessage } from '../../src/analyze-message.ts';

// Every rule that sees message text, run over adversarial input: long runs of one token
// that regular expressions with nested quantifiers backtrack on ("5.5.5.5…" made a host
// name pattern take 84 s at 300 KB). The whole analysis is run, so every dialect, reason
// and provider rule reached from these shapes is covered. Linear work grows ~10× from
// 10 KB to 100 KB; quadratic work ~100×. The bound is generous for a loaded machine.
const TOKENS = [
  '5.5.',
  'a.',
  'a-',
  '-',
  '@',
  'a@',
  '.@',
  '<',
  '<a',
  '>',
  ' ',
  '550 ',
  '550-',
  '5.1.1 ',
  'RCPT TO:',
  'RCPT TO:<',
  '=?utf-8?b?',
  '"',
  '"a',
  '[1.2.3.4]',
  '1.',
  'host ',
  'x.y',
  ':',
  'a:',
  '\t',
  '\n',
  '\na@b.c\n',
  '<a@b.c>:',
  'a@b.c ',
  'From: ',
  'user ',
  'unknown ',
  '(',
  ')',
  '#',
  '\\',
  '*',
  'said: ',
  '=',
  ';',
  'é',
  '日',
];

/** Where the text lands: a DSN's Diagnostic-Code and text part, and free-form notices of several families. */
const SHAPES: Record<string, (text: string) => Buffer> = {
  dsn: (t) =>
    Buffer.from(
      `From: MAILER-DAEMON@x.example\r\nSubject: Undelivered Mail\r\nMIME-Version: 1.0\r\n` +
        `Content-Type: multipart/report; report-type=delivery-status; boundary=B\r\n\r\n--B\r\n` +
        `Content-Type: text/plain\r\n\r\n${t}\r\n--B\r\nContent-Type: message/delivery-status\r\n\r\n` +
        `Reporting-MTA: dns; x\r\n\r\nFinal-Recipient: rfc822; a@b.example\r\nAction: failed\r\n` +
        `Status: 5.1.1\r\nDiagnostic-Code: smtp; ${t}\r\n--B--\r\n`,
    ),
  generic: (t) => notice('Undeliverable', `Could not be delivered.\r\n${t}`),
  qmail: (t) =>
    notice('failure notice', `Hi. This is the qmail-send program at x.example.\r\n<a@b.example>:\r\n${t}`),
  postfix: (t) =>
    notice('Undelivered Mail', `This is the Postfix program at host x.example.\r\n\r\n<a@b.example>: ${t}`),
  exim: (t) =>
    notice(
      'Mail delivery failed',
      `This message was created automatically by mail delivery software.\r\n\r\n  a@b.example\r\n    ${t}`,
    ),
  sendmail: (t) =>
    notice(
      'Returned mail',
      `   ----- The following addresses had permanent fatal errors -----\r\n<a@b.example>\r\n${t}`,
    ),
  subject: (t) => notice(`Undeliverable ${t.slice(0, 20_000)}`, 'Could not be delivered to a@b.example.'),
};

function notice(subject: string, body: string): Buffer {
  return Buffer.from(
    `From: MAILER-DAEMON@x.example\r\nReturn-Path: <>\r\nSubject: ${subject}\r\n\r\n${body}\r\n`,
  );
}

function ms(bytes: Buffer): number {
  const t = performance.now();
  analyzeMessage(bytes);
  return performance.now() - t;
}

describe('analysis time on adversarial input', () => {
  it.each(Object.keys(SHAPES))('grows linearly with the length of repeated tokens (%s)', (shape) => {
    const make = SHAPES[shape]!;
    for (const token of TOKENS) {
      const small = make(token.repeat(Math.ceil(10_000 / token.length)));
      const big = make(token.repeat(Math.ceil(100_000 / token.length)));
      ms(small); // warm up
      const a = ms(small);
      const b = ms(big);
      expect(
        b,
        `${shape} ${JSON.stringify(token)}: 10 KB ${a.toFixed(1)} ms, 100 KB ${b.toFixed(1)} ms`,
      ).toBeLessThan(Math.max(30 * Math.max(a, 3), 300));
    }
  });
});
