import { describe, expect, it } from 'vitest';
import { analyzeMessage } from '../../src/analyze-message.ts';
import { makeDsn } from '../helpers/messages.ts';

describe('hostile and broken input', () => {
  it('reads the report of a 20 MB message from its first bytes', () => {
    const dsn = makeDsn({ recipients: [{ address: 'gone@receiver.example', status: '5.1.1' }] }).toString(
      'latin1',
    );
    const huge = Buffer.from(
      dsn.replace(/--B[^\r\n]*--\r\n$/, '') + `${'A'.repeat(76)}\r\n`.repeat(270_000),
      'latin1',
    );
    expect(huge.length).toBeGreaterThan(20_000_000);
    const { analysis } = analyzeMessage(huge);
    expect(analysis.kind).toBe('bounce');
    expect(analysis.recipients[0]).toMatchObject({ address: 'gone@receiver.example', hard: true });
  });

  it('never throws on random bytes, and calls them none with a reason', () => {
    let seed = 42;
    const random = () => {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      return seed;
    };
    for (let i = 0; i < 300; i++) {
      const bytes = Buffer.alloc(random() % 4000);
      for (let j = 0; j < bytes.length; j++) bytes[j] = random() & 0xff;
      const { analysis } = analyzeMessage(bytes);
      expect(analysis.kind).toBe('none');
      expect(analysis.note).toBeTruthy();
    }
  });

  it('survives pathological structure without recursing or backtracking without end', () => {
    const cases = [
      `Subject: ${'a'.repeat(1_000_000)}\n\nbody`, // one enormous header line
      `Content-Type: multipart/mixed; boundary=x\n\n${'--x\n\n'.repeat(100_000)}`, // 100k parts
      `${'Content-Type: multipart/mixed; boundary=x\n\n--x\n'.repeat(5000)}`, // deep nesting
      `Subject: ${'=?utf-8?q?'.repeat(100_000)}\n\n`, // unterminated encoded words
      `Content-Type: message/delivery-status\n\n${'Final-Recipient: rfc822; a@b.c\n'.repeat(50_000)}`,
      `From: x\n\n${'550 5.1.1 '.repeat(200_000)}`,
    ];
    for (const c of cases) {
      const result = analyzeMessage(Buffer.from(c, 'latin1'));
      expect(['none', 'bounce']).toContain(result.analysis.kind);
    }
  });

  it('reads 8-bit headers and a broken charset', () => {
    const raw = Buffer.concat([
      Buffer.from('From: Mailer <mailer-daemon@example.org>\nSubject: Zustellung fehlgeschlagen: ', 'latin1'),
      Buffer.from('Grüße', 'utf8'),
      Buffer.from('\nContent-Type: text/plain; charset="x-broken"\n\nHello \xff\xfe\n', 'latin1'),
    ]);
    const { message, analysis } = analyzeMessage(raw);
    expect(message.subject).toBe('Zustellung fehlgeschlagen: Grüße');
    expect(analysis.kind).toBe('none');
  });

  it('reads message/global-delivery-status (RFC 6533) with a UTF-8 address', () => {
    const raw = [
      'From: MAILER-DAEMON@mx.example.org',
      'Subject: Undelivered Mail Returned to Sender',
      'MIME-Version: 1.0',
      'Content-Type: multipart/report; report-type=global-delivery-status; boundary="b"',
      '',
      '--b',
      'Content-Type: text/plain',
      '',
      'Delivery failed.',
      '--b',
      'Content-Type: message/global-delivery-status',
      '',
      'Reporting-MTA: dns; mx.example.org',
      '',
      'Final-Recipient: utf-8;用户@例子.测试',
      'Action: failed',
      'Status: 5.1.1',
      'Diagnostic-Code: smtp; 550 5.1.1 mailbox unavailable',
      '--b--',
      '',
    ].join('\r\n');
    const { analysis } = analyzeMessage(Buffer.from(raw, 'utf8'));
    expect(analysis.recipients[0]).toMatchObject({ address: '用户@例子.测试', hard: true });
  });

  it('shows punycode domains readably', () => {
    const { analysis } = analyzeMessage(
      makeDsn({ recipients: [{ address: 'user@xn--mller-kva.example', status: '5.1.1' }] }),
    );
    expect(analysis.recipients[0]?.address).toBe('user@müller.example');
  });

  it('does not take an address that appears only in the returned original as a failed recipient', () => {
    const dsn = makeDsn({ recipients: [{ address: 'gone@receiver.example', status: '5.1.1' }] });
    const { analysis } = analyzeMessage(dsn);
    expect(analysis.recipients.map((r) => r.address)).toEqual(['gone@receiver.example']);
  });
});
