import type { Exportable } from '../export/export-row.ts';

/** Everything a digest reports, for one period. Plain data: built by the store, read by build-digest. */
export interface DigestData {
  readonly periodStart: string;
  readonly periodEnd: string;
  readonly timezone: string;
  readonly newSuppressions: readonly NewSuppression[];
  readonly senderSide: readonly SenderSideGroup[];
  readonly approaching: readonly Approaching[];
  readonly complaints: readonly Complaint[];
  readonly ignored: {
    readonly autoreplies: number;
    readonly delays: number;
    /** Failure reports whose return path was not validly signed (verp.mode enforce): never suppressed. */
    readonly unsigned: number;
  };
  /** Messages waiting in the review folder at the last scan; null when unknown. */
  readonly reviewWaiting: number | null;
}

/** A suppression added in the period: the export's fields, the rule, and who reported it. */
export interface NewSuppression extends Exportable {
  readonly rule: string | null;
  readonly reportingMta: string | null;
}

export interface SenderSideGroup {
  /** The recipient domain the failures came from. */
  readonly domain: string;
  readonly status: string | null;
  readonly reason: string;
  readonly count: number;
  readonly example: string | null;
}

export interface Approaching {
  readonly address: string;
  readonly count: number;
  readonly lastReason: string;
}

export interface Complaint {
  readonly address: string;
  readonly at: string;
  readonly feedbackType: string | null;
}

/** Nothing happened in the period: no digest is sent unless configured to. */
export function isEmpty(d: DigestData): boolean {
  return (
    d.newSuppressions.length === 0 &&
    d.senderSide.length === 0 &&
    d.complaints.length === 0 &&
    d.ignored.autoreplies === 0 &&
    d.ignored.delays === 0 &&
    d.ignored.unsigned === 0
  );
}
