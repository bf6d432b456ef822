import { describe, expect, it } from 'vitest';
import { analyzeMessage } from '../../src/analyze-message.ts';
import { REASONS, reasonLine } from '../../src/classify/reasons/index.ts';
import { makeDsn } from '../helpers/messages.ts';

function verdict(status: string, diagnostic: string) {
  const { analysis } = analyzeMessage(
    makeDsn({ recipients: [{ address: 'someone@receiver.example', status, diagnostic }] }),
  );
  return analysis.recipients[0]!;
}

describe('classifying a failed recipient', () => {
  it.each([
    ['Gmail', '5.1.1', '550 5.1.1 The email account that you tried to reach does not exist. (gsmtp)'],
    ['Microsoft 365', '5.1.1', '550 5.1.1 RESOLVER.ADR.RecipNotFound; not found'],
    ['Yahoo', '5.1.1', '550 5.1.1 User unknown'],
  ])('%s "mailbox does not exist" is a hard bounce', (_who, status, text) => {
    expect(verdict(status, text)).toMatchObject({ reason: 'userunknown', hard: true, senderSide: false });
  });

  it('Gmail 5.7.26 unauthenticated is an authentication failure on our side', () => {
    const v = verdict(
      '5.7.26',
      '550 5.7.26 This mail has been blocked because the sender is unauthenticated. Gmail requires all senders to authenticate with either SPF or DKIM.',
    );
    expect(v).toMatchObject({ reason: 'authfailure', hard: false, senderSide: true, status: '5.7.26' });
  });

  it('Microsoft S3150 block list is our problem, never the address', () => {
    const v = verdict(
      '5.7.1',
      "550 5.7.1 Unfortunately, messages from [192.0.2.1] weren't sent. Please contact your Internet service provider since part of their network is on our block list (S3150).",
    );
    expect(v).toMatchObject({ reason: 'blocked', hard: false, senderSide: true });
  });

  it('Microsoft 5.7.708 (traffic not accepted from this IP) is sender-side', () => {
    const v = verdict(
      '5.7.708',
      '550 5.7.708 Service unavailable. Access denied, traffic not accepted from this IP.',
    );
    expect(v).toMatchObject({ hard: false, senderSide: true, status: '5.7.708' });
  });

  it('a full mailbox is soft', () => {
    expect(verdict('5.2.2', '552 5.2.2 <someone@receiver.example>: Mailbox full')).toMatchObject({
      reason: 'mailboxfull',
      hard: false,
      senderSide: false,
    });
  });

  it('a disabled mailbox is suspended, not unknown', () => {
    expect(
      verdict('5.2.1', '550 5.2.1 The email account that you tried to reach is disabled.'),
    ).toMatchObject({ reason: 'suspend', hard: false });
  });

  it('a bad destination domain is hostunknown, and hard', () => {
    expect(
      verdict('5.1.2', '550 5.1.2 Host unknown (Name server: receiver.example: host not found)'),
    ).toMatchObject({
      reason: 'hostunknown',
      hard: true,
    });
  });

  it('bad address syntax is an address that will never work', () => {
    expect(verdict('5.1.3', '501 5.1.3 Bad recipient address syntax')).toMatchObject({ hard: true });
  });

  it('a null MX (RFC 7505) means the domain accepts no mail: hard', () => {
    expect(verdict('5.1.10', '556 5.1.10 Recipient address has null MX')).toMatchObject({
      reason: 'notaccept',
      hard: true,
    });
  });

  it('takes the status from the diagnostic when the Status field is only 5.0.0, and says so', () => {
    const v = verdict(
      '5.0.0',
      '550 5.1.1 <someone@receiver.example>: Recipient address rejected: User unknown',
    );
    expect(v).toMatchObject({ status: '5.1.1', statusSource: 'diagnostic', replyCode: '550', hard: true });
  });

  it('gives every reason a one-line description and a suggested action', () => {
    expect(REASONS.size).toBe(36);
    for (const r of REASONS.values()) {
      expect(r.description.length, r.name).toBeGreaterThan(5);
      expect(r.advice.length, r.name).toBeGreaterThan(3);
    }
    expect(reasonLine('userunknown')).toBe('Mailbox does not exist: suppress');
    expect(reasonLine('authfailure')).toBe(
      "The receiver rejected your mail's authentication (SPF/DKIM/DMARC): publish SPF for the Return-Path domain, sign with DKIM aligned to the From domain, and publish a DMARC record",
    );
  });
});
