import { describe, expect, it } from 'vitest';
import {
  approachingThreshold,
  classifyEvent,
  immediateSuppression,
  type PolicySettings,
  softThresholdReached,
} from '../../src/policy/policy.ts';
import { digestMissed, previousRun } from '../../src/daemon/previous-run.ts';

const settings: PolicySettings = {
  softThreshold: 3,
  softDistinctDays: 2,
  softWindowDays: 30,
  suppressComplaints: true,
};
const now = new Date('2026-11-20T12:00:00Z');
const day = (iso: string) => new Date(iso);

describe('the suppression policy', () => {
  it('suppresses a hard bounce and a complaint at once, never a sender-side failure', () => {
    expect(
      immediateSuppression(
        classifyEvent('bounce', { action: 'failed', hard: true, senderSide: false }),
        settings,
      ),
    ).toMatchObject({
      source: 'bounce',
    });
    expect(
      immediateSuppression(
        classifyEvent('complaint', { action: 'complained', hard: false, senderSide: false }),
        settings,
      ),
    ).toMatchObject({
      source: 'complaint',
    });
    const senderSide = classifyEvent('bounce', { action: 'failed', hard: false, senderSide: true });
    expect(senderSide).toBe('sender-side');
    expect(immediateSuppression(senderSide, settings)).toBeUndefined();
  });

  it('does not suppress for complaints when configured not to', () => {
    expect(immediateSuppression('complaint', { ...settings, suppressComplaints: false })).toBeUndefined();
  });

  it('counts auto-replies and delays as ignored, and a success as a reset', () => {
    expect(classifyEvent('autoreply', { action: 'autoreplied', hard: false, senderSide: false })).toBe(
      'ignored',
    );
    expect(classifyEvent('delayed', { action: 'delayed', hard: false, senderSide: false })).toBe('ignored');
    expect(classifyEvent('delivered', { action: 'delivered', hard: false, senderSide: false })).toBe(
      'success',
    );
    expect(classifyEvent('bounce', { action: 'failed', hard: false, senderSide: false })).toBe('soft');
  });

  it('suppresses soft failures at 3 over at least 2 distinct days within 30 days', () => {
    const twoDays = [day('2026-11-18T10:00:00Z'), day('2026-11-18T11:00:00Z'), day('2026-11-19T09:00:00Z')];
    expect(softThresholdReached(twoDays, settings, now)).toBe(true);
  });

  it('does not suppress 3 soft failures on one day', () => {
    const oneDay = [day('2026-11-19T01:00:00Z'), day('2026-11-19T02:00:00Z'), day('2026-11-19T03:00:00Z')];
    expect(softThresholdReached(oneDay, settings, now)).toBe(false);
  });

  it('does not count soft failures older than the window', () => {
    const old = [day('2026-09-01T10:00:00Z'), day('2026-11-18T11:00:00Z'), day('2026-11-19T09:00:00Z')];
    expect(softThresholdReached(old, settings, now)).toBe(false);
    expect(softThresholdReached(old, { ...settings, softWindowDays: 90 }, now)).toBe(true);
  });

  it('calls an address approaching the threshold from half-way', () => {
    expect(approachingThreshold(1, settings)).toBe(false);
    expect(approachingThreshold(2, settings)).toBe(true);
  });
});

describe('catching up a missed schedule', () => {
  it('finds when a daily schedule last fell due, in its time zone', () => {
    expect(previousRun('0 6 * * *', 'UTC', new Date('2026-11-22T08:30:00Z'))?.toISOString()).toBe(
      '2026-11-22T06:00:00.000Z',
    );
    expect(previousRun('0 6 * * *', 'UTC', new Date('2026-11-22T05:30:00Z'))?.toISOString()).toBe(
      '2026-11-21T06:00:00.000Z',
    );
    // 06:00 in Tokyo is 21:00 UTC the day before.
    expect(previousRun('0 6 * * *', 'Asia/Tokyo', new Date('2026-11-22T08:30:00Z'))?.toISOString()).toBe(
      '2026-11-21T21:00:00.000Z',
    );
    expect(previousRun('30 7 * * 1', 'UTC', new Date('2026-11-22T08:30:00Z'))?.toISOString()).toBe(
      '2026-11-16T07:30:00.000Z',
    );
  });

  it('sends a missed digest at start only when bounced was running before it fell due', () => {
    const due = new Date('2026-11-22T06:00:00Z');
    const before = new Date('2026-11-20T10:00:00Z');
    const after = new Date('2026-11-22T07:00:00Z');
    // Down over 06:00 with the last attempt the day before: send at start.
    expect(digestMissed({ due, firstScan: before, lastAttempt: new Date('2026-11-21T06:00:00Z') })).toBe(
      true,
    );
    // Running since before, never attempted: send.
    expect(digestMissed({ due, firstScan: before, lastAttempt: undefined })).toBe(true);
    // Today's digest already attempted (sent or failed): the next schedule takes over.
    expect(digestMissed({ due, firstScan: before, lastAttempt: new Date('2026-11-22T06:00:01Z') })).toBe(
      false,
    );
    // First started after it fell due, or never scanned: nothing was missed.
    expect(digestMissed({ due, firstScan: after, lastAttempt: undefined })).toBe(false);
    expect(digestMissed({ due, firstScan: undefined, lastAttempt: undefined })).toBe(false);
    expect(digestMissed({ due: undefined, firstScan: before, lastAttempt: undefined })).toBe(false);
  });
});
