import { describe, expect, it } from 'vitest';
import { classify } from '../../src/classify/classify.ts';
import { analyzeMessage } from '../../src/analyze-message.ts';
import { parseMessage } from '../../src/parse/parse-message.ts';
import { fixture } from '../helpers/fixtures.ts';
import { makeDsn, makeOrdinaryMail } from '../helpers/messages.ts';

function parsed(path: string) {
  const result = parseMessage(fixture(path));
  if (!result.ok) throw new Error(`not parsed: ${result.reason}`);
  return result.report;
}

describe('RFC 3464 delivery status notifications', () => {
  it('reads the recipient, action, status, diagnostic and remote MTA of a Google Groups DSN', () => {
    const report = parsed('rfc3464/rfc3464-63.eml');
    expect(report.format).toBe('rfc3464');
    expect(report.recipients).toHaveLength(1);
    const [r] = report.recipients;
    expect(r).toMatchObject({ address: 'libsisimai-2@googlegroups.com', action: 'failed', status: '5.1.1' });
    expect(r?.diagnostic).toContain('The email account that you tried to reach does not exist');
    expect(r?.diagnosticType).toBe('smtp');
  });

  it('reads every recipient block, including a delayed one between two failures', () => {
    const report = parsed('rfc3464/rfc3464-35.eml');
    expect(report.reportingMta).toBe('cs.utk.edu');
    expect(report.recipients.map((r) => [r.address, r.action])).toEqual([
      ['kijitora@nyaan.example.com', 'failed'],
      ['sabatora@cat.example.net', 'delayed'],
      ['mikeneko@neko.example.or.jp', 'failed'],
    ]);
    // "Diagnostic-Code: smtp;  550 'kijitora@…' is not a\n registered gateway user" is unfolded.
    expect(report.recipients[0]?.diagnostic).toBe(
      "550 'kijitora@nyaan.example.com' is not a registered gateway user",
    );
    expect(report.recipients[0]?.remoteMta).toBe('nyaan.example.com');
  });

  it('reads the per-message fields and the returned original message', () => {
    const report = parsed('rfc3464/rfc3464-63.eml');
    expect(report.reportingMta).toBe('googlemail.com');
    expect(report.original.messageId).toBe('144493c0-8548-4b2b-987f-ae719df82545@Spark');
    const dsn = parseMessage(
      makeDsn({
        recipients: [{ address: 'a@receiver.example', status: '5.1.1' }],
        originalMessageId: 'orig-1@sender.example',
      }),
    );
    expect(dsn.ok && dsn.report.original).toEqual({
      messageId: 'orig-1@sender.example',
      from: 'news@sender.example',
      to: 'a@receiver.example',
      subject: 'November newsletter',
    });
    expect(dsn.ok && dsn.report.arrivalDate).toBe('Mon, 16 Nov 2026 09:59:58 +0000');
  });

  it('gives the same result for LF, CRLF and bare-CR line endings', () => {
    // As data (each recipient's evidence is a function, worked out on demand).
    const data = (path: string) => parsed(path).recipients.map((r) => ({ ...r, evidence: r.evidence?.() }));
    const lf = data('rfc3464/lhost-postfix-01.eml');
    expect(data('rfc3464/lhost-postfix-01-crlf.eml')).toEqual(lf);
    expect(data('rfc3464/lhost-postfix-01-cr.eml')).toEqual(lf);
  });

  it('calls an Action: delayed report delayed, never a bounce', () => {
    const analysis = classify(parseMessage(fixture('rfc3464/rfc3464-07.eml')));
    expect(analysis.kind).toBe('delayed');
    expect(analysis.recipients.every((r) => !r.hard)).toBe(true);
  });

  it('records a message that is not a report as not understood, with the reason', () => {
    const result = parseMessage(makeOrdinaryMail());
    expect(result).toMatchObject({ ok: false, reason: 'not a bounce, complaint or automatic reply' });
    expect(classify(result).kind).toBe('none');
  });

  it('treats an empty file as not understood rather than failing', () => {
    expect(parseMessage(Buffer.alloc(0))).toMatchObject({ ok: false, reason: 'empty message' });
  });
});

describe('a DSN with very many recipients', () => {
  function bigDsn(n: number): Buffer {
    const groups = Array.from(
      { length: n },
      (_, i) => `Final-Recipient: rfc822; r${i}@x${i % 97}.example\r\nAction: failed\r\nStatus: 5.1.1\r\n`,
    );
    return Buffer.from(
      [
        'From: MAILER-DAEMON@mx.sender.example',
        'Subject: Undelivered Mail Returned to Sender',
        'MIME-Version: 1.0',
        'Content-Type: multipart/report; report-type=delivery-status; boundary="B"',
        '',
        '--B',
        'Content-Type: text/plain',
        '',
        'Your message could not be delivered.',
        '--B',
        'Content-Type: message/delivery-status',
        '',
        'Reporting-MTA: dns; mx.sender.example',
        '',
        groups.join('\r\n'),
        '--B--',
        '',
      ].join('\r\n'),
    );
  }

  it('reads all 10,000 recipient groups in full', () => {
    const { analysis } = analyzeMessage(bigDsn(10_000));
    expect(analysis.recipients).toHaveLength(10_000);
    expect(analysis.recipients.at(-1)).toMatchObject({ address: 'r9999@x8.example', status: '5.1.1' });
    expect(analysis.truncated).toBeUndefined();
  });

  it('never stores a group cut in half when a bound is hit, and says so in the note', () => {
    const { analysis } = analyzeMessage(bigDsn(10_000), { maxBytes: 100_000 });
    const n = analysis.recipients.length;
    expect(n).toBeGreaterThan(1000);
    expect(n).toBeLessThan(10_000);
    // Every recipient read is whole: its address and its status.
    analysis.recipients.forEach((r, i) =>
      expect(r, String(i)).toMatchObject({ address: `r${i}@x${i % 97}.example`, status: '5.1.1' }),
    );
    expect(analysis.truncated).toBe(true);
    expect(analysis.note).toBe(
      `delivery-status part cut at the end of the bytes read (scan.maxMessageBytes): ${n} recipients read, the rest not`,
    );
  });
});
