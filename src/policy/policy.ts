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
  const tally = new SoftTally(settings, now);
  for (const t of times) tally.add(t);
  return tally.reached;
}

/**
 * softThresholdReached one failure at a time: failures are added and taken away again
 * (when a later success report rules them out), and `reached` answers for those held.
 */
export class SoftTally {
  private readonly from: number;
  private readonly until: number;
  private count = 0;
  /** Failures held per UTC day, of those within the window. */
  private readonly days = new Map<string, number>();

  constructor(
    private readonly settings: PolicySettings,
    now: Date,
  ) {
    this.from = now.getTime() - settings.softWindowDays * DAY;
    this.until = now.getTime() + DAY;
  }

  add(t: Date): void {
    if (!this.counts(t)) return;
    const day = t.toISOString().slice(0, 10);
    this.count++;
    this.days.set(day, (this.days.get(day) ?? 0) + 1);
  }

  remove(t: Date): void {
    if (!this.counts(t)) return;
    const day = t.toISOString().slice(0, 10);
    this.count--;
    const left = (this.days.get(day) ?? 1) - 1;
    if (left) this.days.set(day, left);
    else this.days.delete(day);
  }

  get reached(): boolean {
    return this.count >= this.settings.softThreshold && this.days.size >= this.settings.softDistinctDays;
  }

  /** Within the window (a report dated up to a day ahead still counts). */
  private counts(t: Date): boolean {
    return t.getTime() >= this.from && t.getTime() <= this.until;
  }
}

/** An address not yet suppressed is "approaching" once it has half the soft failures it takes. */
export function approachingThreshold(count: number, settings: PolicySettings): boolean {
  return count >= Math.max(1, Math.ceil(settings.softThreshold / 2));
}
