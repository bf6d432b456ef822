import type { Exportable } from '../export/export-row.ts';
import type { SentCount } from './sent-count.ts';

/** Everything a digest reports, for one period. Plain data: built by the store, read by build-digest. */
export interface DigestData {
  readonly periodStart: string;
  readonly periodEnd: string;
  readonly timezone: string;
  readonly newSuppressions: readonly NewSuppression[];
  /** Sender-side failures, one per event: rolled up by reason and provider in the digest. */
  readonly senderSide: readonly SenderSideEvent[];
  readonly approaching: readonly Approaching[];
  /** The recipients' feedback reports, one entry per address. */
  readonly complaints: readonly Complaint[];
  /** Suppressions taken off the list in the period. */
  readonly removals: readonly Removal[];
  /** Hard-bounce events in the period (the bounce rate's numerator). */
  readonly hardBounces: number;
  /** Abuse complaints in the period (the complaint rate's numerator). */
  readonly abuseComplaints: number;
  readonly ignored: {
    readonly autoreplies: number;
    readonly delays: number;
    /** Failure reports whose return path was not validly signed (verp.mode enforce): never suppressed. */
    readonly unsigned: number;
  };
  /** Messages waiting in the review folder at the last scan; null when unknown. */
  readonly reviewWaiting: number | null;
  /** Messages sent in the period (digest.sentCount); undefined when not configured. */
  readonly sent?: SentCount;
  /** Each configured mailbox: when it was last scanned, and whether its scans fail. */
  readonly mailboxes?: readonly DigestMailbox[];
}

export interface DigestMailbox {
  readonly name: string;
  /** The last successful scan; null: none yet. */
  readonly lastSuccess: string | null;
  /** Its last scan failed: since when, and why. */
  readonly failing?: { readonly since: string; readonly error: string };
  readonly reviewWaiting: number | null;
}

/** A suppression added in the period: the export's fields, the rule, and who reported it. */
export interface NewSuppression extends Exportable {
  readonly rule: string | null;
  readonly reportingMta: string | null;
}

export interface SenderSideEvent {
  readonly address: string;
  /** The recipient domain the failure came from. */
  readonly domain: string;
  /** The receiving server and the reporting one, from which the provider is judged. */
  readonly remoteMta: string | null;
  readonly reportingMta: string | null;
  readonly status: string | null;
  readonly reason: string;
  readonly diagnostic: string | null;
  readonly at: string;
}

export interface Approaching {
  readonly address: string;
  readonly count: number;
  readonly lastReason: string;
}

export interface Complaint {
  readonly address: string;
  /** When the reports arrived (their Arrival-Date, else their Date), oldest and newest. */
  readonly first: string;
  readonly last: string;
  readonly count: number;
  /** The ARF feedback types seen: abuse, not-spam, other … */
  readonly types: readonly string[];
}

export interface Removal {
  readonly address: string;
  readonly at: string;
  /** Who or what removed it: "root via the CLI". */
  readonly by: string;
  readonly reason: string | null;
}

/** Nothing happened in the period: no digest is sent unless configured to. */
export function isEmpty(d: DigestData): boolean {
  return (
    d.newSuppressions.length === 0 &&
    d.senderSide.length === 0 &&
    d.complaints.length === 0 &&
    d.removals.length === 0 &&
    d.ignored.autoreplies === 0 &&
    d.ignored.delays === 0 &&
    d.ignored.unsigned === 0 &&
    // A mailbox that cannot be scanned is news even on a quiet day.
    !d.mailboxes?.some((m) => m.failing)
  );
}
