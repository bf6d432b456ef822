import { describe, expect, it } from 'vitest';
import { buildDigest } from '../../src/digest/build-digest.ts';
import { type DigestData, isEmpty } from '../../src/digest/digest-data.ts';

const empty: DigestData = {
  periodStart: '2026-11-21T05:00:00.000Z',
  periodEnd: '2026-11-22T05:00:00.000Z',
  timezone: 'Europe/Berlin',
  newSuppressions: [],
  senderSide: [],
  approaching: [],
  complaints: [],
  ignored: { autoreplies: 0, delays: 0, unsigned: 0 },
  reviewWaiting: 0,
};

describe('building the digest (pure)', () => {
  it('says "none" in every empty section, with the period in its time zone', () => {
    expect(isEmpty(empty)).toBe(true);
    const m = buildDigest(empty);
    expect(m.subject).toBe('bounced digest: 0 new suppressions, 0 sender-side failures');
    // 05:00 UTC is 06:00 in Berlin in November.
    expect(m.text).toContain('bounced digest for 21 Nov 2026, 06:00 – 22 Nov 2026, 06:00 (Europe/Berlin)');
    for (const section of [
      'NEW SUPPRESSIONS: 0',
      'SENDER-SIDE FAILURES: 0',
      'APPROACHING THE SOFT-FAILURE THRESHOLD: 0',
      'COMPLAINTS: 0',
    ])
      expect(m.text, section).toMatch(new RegExp(`${section}[^\\n]*\\n  none\\n`));
    expect(m.csv).toBe(
      'email,reason,description,status,reply_code,diagnostic,first_bounced_at,last_bounced_at,bounce_count,source\r\n',
    );
  });

  it('escapes every value in the HTML part, including the domain and the address', () => {
    const hostile = '"><img src=x onerror=alert(1)>';
    const m = buildDigest({
      ...empty,
      newSuppressions: [
        {
          address: `a${hostile}@receiver.example`,
          source: 'bounce',
          reason: 'userunknown',
          cause: hostile,
          rule: 'hard bounce: suppressed at once',
          status: '5.1.1',
          replyCode: '550',
          diagnostic: hostile,
          reportingMta: hostile,
          firstBouncedAt: empty.periodStart,
          lastBouncedAt: empty.periodEnd,
          bounceCount: 1,
        },
      ],
      senderSide: [{ domain: hostile, status: '5.7.1', reason: 'blocked', count: 2, example: hostile }],
      approaching: [{ address: hostile, count: 2, lastReason: hostile }],
      complaints: [{ address: hostile, at: empty.periodEnd, feedbackType: hostile }],
      reviewWaiting: null,
    });
    expect(m.html).not.toContain('<img');
    expect(m.html).not.toContain('onerror=alert(1)>');
    // In the text part it appears as it is; in the HTML part, escaped, as often.
    const raw = m.text.split(hostile).length - 1;
    expect(raw).toBeGreaterThanOrEqual(7);
    expect(m.html.split('&#34;&#62;&#60;img src=x onerror=alert(1)&#62;').length - 1).toBe(raw);
    expect(m.text).toContain('WAITING IN THE REVIEW FOLDER: unknown');
  });
});
