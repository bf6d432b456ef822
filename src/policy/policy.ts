import type { MessageKind, RecipientVerdict } from '../classify/analysis.ts';

/** The suppression policy's settings (config `policy.*`). */
export interface PolicySettings {
  readonly softThreshold: number;
  readonly softDistinctDays: number;
  readonly softWindowDays: number;
  readonly suppressComplaints: boolean;
}

/** What an event means for the address it names. */
export type EventClass =
  /** The address will never accept mail: suppress at once. */
  | 'hard'
  /** The recipient complained: suppress at once (unless configured otherwise). */
  | 'complaint'
  /** A failure that may pass (mailbox full, timeouts …): counts toward the soft threshold. */
  | 'soft'
  /** The fault is the sender's: reported to ops, never suppresses. */
  | 'sender-side'
  /** A success report: starts the soft count again. */
  | 'success'
  /** Auto-replies and delay warnings: counted, otherwise ignored. */
  | 'ignored';

export function classifyEvent(
  kind: MessageKind,
  r: Pick<RecipientVerdict, 'action' | 'hard' | 'senderSide'>,
  feedbackType?: string,
): EventClass {
  if (kind === 'complaint') {
    // Only the recipient's own complaint suppresses (RFC 5965 §3.1 "abuse"; a report
    // without a type is read as one). auth-failure, fraud and virus are about our sending;
    // not-spam undoes nothing by itself; other, and types not registered, are recorded.
    if (r.senderSide) return 'sender-side';
    return feedbackType === undefined || feedbackType === 'abuse' ? 'complaint' : 'ignored';
  }
  if (kind === 'autoreply' || kind === 'delayed' || kind === 'none') return 'ignored';
  if (r.action === 'delivered' || r.action === 'relayed' || r.action === 'expanded') return 'success';
  if (r.action !== 'failed') return 'ignored';
  if (r.hard) return 'hard';
  if (r.senderSide) return 'sender-side';
  return 'soft';
}

export interface Suppression {
  readonly source: 'bounce' | 'complaint' | 'soft-threshold' | 'manual';
  /** The rule that fired, in words. */
  readonly rule: string;
}

/** The rules that suppress at once: a hard bounce, and (by default) a complaint. */
export function immediateSuppression(cls: EventClass, settings: PolicySettings): Suppression | undefined {
  if (cls === 'hard') return { source: 'bounce', rule: 'hard bounce: suppressed at once' };
  if (cls === 'complaint' && settings.suppressComplaints) {
    return { source: 'complaint', rule: 'complaint: suppressed at once' };
  }
  return undefined;
}

export function softRule(settings: PolicySettings): Suppression {
  return {
    source: 'soft-threshold',
    rule: `soft failures: ${settings.softThreshold} on at least ${settings.softDistinctDays} distinct days within ${settings.softWindowDays} days`,
  };
}

const DAY = 24 * 60 * 60 * 1000;

/**
 * N soft failures, on at least D distinct days (UTC), within the last W days. `times` are
 * the failures since the last reset (a success report or a manual removal).
 */
export function softThresholdReached(times: readonly Date[], settings: PolicySettings, now: Date): boolean {
  const since = now.getTime() - settings.softWindowDays * DAY;
  const inWindow = times.filter((t) => t.getTime() >= since && t.getTime() <= now.getTime() + DAY);
  if (inWindow.length < settings.softThreshold) return false;
  const days = new Set(inWindow.map((t) => t.toISOString().slice(0, 10)));
  return days.size >= settings.softDistinctDays;
}

/** An address not yet suppressed is "approaching" once it has half the soft failures it takes. */
export function approachingThreshold(count: number, settings: PolicySettings): boolean {
  return count >= Math.max(1, Math.ceil(settings.softThreshold / 2));
}
