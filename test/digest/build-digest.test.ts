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
  removals: [],
  hardBounces: 0,
  abuseComplaints: 0,
  ignored: { autoreplies: 0, delays: 0, unsigned: 0 },
  reviewWaiting: 0,
};

describe('building the digest (pure)', () => {
  it('says "none" in every empty section, with the period in its time zone', () => {
    expect(isEmpty(empty)).toBe(true);
    const m = buildDigest(empty);
    expect(m.subject).toBe('bounced digest: 0 new suppressions, 0 sender-side failures');
    // 05:00 UTC is 06:00 in Berlin in November.
    expect(m.text).toContain('bounced digest for Nov 21 06:00 – Nov 22 06:00 (Europe/Berlin)');
    for (const section of [
      'NEW SUPPRESSIONS: 0',
      'SENDER-SIDE FAILURES: 0',
      'APPROACHING THE SOFT-FAILURE THRESHOLD: 0',
      'COMPLAINTS: 0',
      'REMOVED FROM THE LIST: 0',
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
      senderSide: [0, 1].map(() => ({
        address: `b@${hostile}`,
        domain: hostile,
        remoteMta: hostile,
        reportingMta: null,
        status: '5.7.1',
        reason: 'blocked',
        diagnostic: hostile,
        at: empty.periodEnd,
      })),
      approaching: [{ address: hostile, count: 2, lastReason: hostile }],
      complaints: [
        { address: hostile, first: empty.periodEnd, last: empty.periodEnd, count: 1, types: [hostile] },
      ],
      removals: [{ address: hostile, at: empty.periodEnd, by: hostile, reason: hostile }],
      reviewWaiting: null,
    });
    expect(m.html).not.toContain('<img');
    expect(m.html).not.toContain('onerror=alert(1)>');
    // In the text part it appears as it is; in the HTML part, escaped, as often.
    const raw = m.text.split(hostile).length - 1;
    expect(raw).toBeGreaterThanOrEqual(7);
    // The HTML shows fewer fields than the text (no reporting MTA), each of them escaped.
    expect(m.html.split('&#34;&#62;&#60;img src=x onerror=alert(1)&#62;').length - 1).toBeGreaterThanOrEqual(
      7,
    );
    expect(m.html.split(hostile).length - 1).toBe(0);
    expect(m.text).toContain('WAITING IN THE REVIEW FOLDER: unknown');
  });
});

const suppression = (i: number, source = 'bounce') => ({
  address: `user${String(i).padStart(3, '0')}@receiver.example`,
  source,
  reason: 'userunknown',
  cause: 'Mailbox does not exist (5.1.1)',
  rule: 'hard bounce: suppressed at once',
  status: '5.1.1',
  replyCode: '550',
  diagnostic: `550 5.1.1 user${i}: ${'no such user here '.repeat(20)}`,
  reportingMta: 'mx.sender.example',
  firstBouncedAt: '2026-11-21T07:40:00.000Z',
  lastBouncedAt: '2026-11-21T07:40:00.000Z',
  bounceCount: 1,
});

describe('the digest layout (pure)', () => {
  it('opens with a summary: new suppressions by rule, sender-side by reason, removals, review', () => {
    const m = buildDigest({
      ...empty,
      newSuppressions: [
        suppression(1),
        suppression(2),
        suppression(3, 'complaint'),
        suppression(4, 'manual'),
      ],
      senderSide: [
        {
          address: 'a@gmail.com',
          domain: 'gmail.com',
          remoteMta: 'gmail-smtp-in.l.google.com',
          reportingMta: null,
          status: '5.7.26',
          reason: 'authfailure',
          diagnostic: 'x',
          at: empty.periodEnd,
        },
      ],
      removals: [
        {
          address: 'back@receiver.example',
          at: empty.periodEnd,
          by: 'root via the CLI',
          reason: 'customer asked',
        },
      ],
      reviewWaiting: 7,
    });
    const summary = m.text.slice(m.text.indexOf('SUMMARY'), m.text.indexOf('NEW SUPPRESSIONS'));
    expect(summary).toBe(
      [
        'SUMMARY',
        '  New suppressions: 4 (hard bounces 2, complaints 1, added by hand 1)',
        '  Sender-side failures: 1 (authfailure 1)',
        '  Removed from the list: 1',
        '  Waiting in the review folder: 7',
        '  Rates: not shown: set digest.sentCount (a command or a URL that returns how many messages were sent) to compare the bounce and complaint rates with the providers’ thresholds',
        '',
        '',
      ].join('\n'),
    );
    expect(m.text.indexOf('SUMMARY')).toBeLessThan(m.text.indexOf('NEW SUPPRESSIONS'));
    expect(m.text).toContain(
      'REMOVED FROM THE LIST: 1\n  back@receiver.example · Nov 22 06:00 · root via the CLI · "customer asked"',
    );
    expect(m.html).toMatch(/^<!doctype html>\n<html lang="en">/);
    expect(m.html.indexOf('id="summary"')).toBeLessThan(m.html.indexOf('New suppressions: 4'));
  });

  it("compares the rates with the providers' thresholds when the sent count is known", () => {
    const m = buildDigest({ ...empty, sent: { count: 10_000 }, hardBounces: 250, abuseComplaints: 35 });
    expect(m.text).toContain(
      '  Hard-bounce rate: 2.5 % (250) · WATCH · providers throttle above 2 % and penalise at 3 %',
    );
    expect(m.text).toContain(
      '  Complaint rate: 0.35 % (35) · OVER THE LIMIT · Gmail and Yahoo: keep under 0.1 %, never 0.3 %',
    );
    const fine = buildDigest({ ...empty, sent: { count: 10_000 }, hardBounces: 10, abuseComplaints: 1 });
    expect(fine.text).toContain('Hard-bounce rate: 0.1 % (10) · ok');
    expect(fine.text).toContain('Complaint rate: 0.01 % (1) · ok');
    const failed = buildDigest({ ...empty, sent: { unavailable: 'the command exited with 2' } });
    expect(failed.text).toContain('  Rates: not shown: digest.sentCount failed: the command exited with 2');
  });

  it('rolls sender-side failures up by reason and provider, with the fix once and the top domains', () => {
    // The receiving server names the provider: acme.example's MX is Google's.
    const ev = (address: string, remoteMta: string, reason: string, status: string) => ({
      address,
      domain: address.split('@')[1]!,
      remoteMta,
      reportingMta: null,
      status,
      reason,
      diagnostic: `550 ${status} blocked`,
      at: empty.periodEnd,
    });
    const m = buildDigest({
      ...empty,
      senderSide: [
        ev('a@gmail.com', 'gmail-smtp-in.l.google.com', 'authfailure', '5.7.26'),
        ev('b@gmail.com', 'gmail-smtp-in.l.google.com', 'authfailure', '5.7.26'),
        ev('c@acme.example', 'aspmx.l.google.com', 'authfailure', '5.7.26'),
        ev('d@outlook.com', 'outlook-com.olc.protection.outlook.com', 'blocked', '5.7.1'),
      ],
    });
    const section = m.text.slice(m.text.indexOf('SENDER-SIDE'), m.text.indexOf('COMPLAINTS'));
    expect(section.match(/^ {2}\S.*$/gm)).toEqual([
      expect.stringMatching(/^ {2}Google · .* · 5\.7\.26 · 3×$/),
      expect.stringMatching(/^ {2}Microsoft · .* · 5\.7\.1 · 1×$/),
    ]);
    expect(section).toContain('domains: gmail.com (2), acme.example (1)');
    expect(section.match(/fix:/g)).toHaveLength(2);
  });

  it('caps long sections at 50 rows, naming how many more the CSV holds, and truncates long text', () => {
    const rows = Array.from({ length: 120 }, (_, i) => suppression(i));
    const m = buildDigest({ ...empty, newSuppressions: rows });
    expect(m.text).toContain('    and 70 more in the attached new-suppressions-2026-11-22.csv');
    expect(m.html).toContain('and 70 more in the attached new-suppressions-2026-11-22.csv');
    expect(m.html).toContain('user049@receiver.example');
    expect(m.html).not.toContain('user050@receiver.example');
    // The CSV has every row, and the whole diagnostic.
    const csv = m.attachments.find((a) => a.filename === 'new-suppressions-2026-11-22.csv')!.content;
    expect(csv.trim().split('\r\n')).toHaveLength(121);
    expect(csv).toContain('no such user here '.repeat(20).trim());
    expect(m.html).not.toContain('no such user here '.repeat(20).trim());
    expect(m.attachments.map((a) => a.filename)).toEqual([
      'new-suppressions-2026-11-22.csv',
      'digest-details-2026-11-22.csv',
    ]);
  });

  it('writes dates on one short line, in the digest time zone', () => {
    const m = buildDigest({ ...empty, timezone: 'America/New_York', newSuppressions: [suppression(1)] });
    // 07:40 UTC on Nov 21 is 02:40 in New York.
    expect(m.text).toContain('first Nov 21 02:40 · last Nov 21 02:40');
    expect(m.html).toContain('>Nov 21 02:40</td>');
  });
});
