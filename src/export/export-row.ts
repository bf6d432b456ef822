import { REASONS } from '../classify/reasons/index.ts';
import type { SuppressionRow } from '../store/records.ts';

/** The columns of the export and of the digest's attachment, in this order (see the README). */
export const EXPORT_COLUMNS = [
  'email',
  'reason',
  'description',
  'status',
  'reply_code',
  'diagnostic',
  'first_bounced_at',
  'last_bounced_at',
  'bounce_count',
  'source',
] as const;

/** A suppression as the export shows it: the stored suppression's fields it has columns for. */
export type Exportable = Pick<
  SuppressionRow,
  | 'address'
  | 'reason'
  | 'cause'
  | 'status'
  | 'replyCode'
  | 'diagnostic'
  | 'firstBouncedAt'
  | 'lastBouncedAt'
  | 'bounceCount'
  | 'source'
>;

/** The reason in words and its suggested action; for a manual entry, the reason given. */
export function describeSuppression(s: Pick<Exportable, 'reason' | 'cause'>): string {
  const rule = REASONS.get(s.reason);
  return rule ? `${rule.description}: ${rule.advice}` : s.cause;
}

/** One row's cells, in EXPORT_COLUMNS order. */
export function exportRow(s: Exportable): readonly (string | number | null)[] {
  return [
    s.address,
    s.reason,
    describeSuppression(s),
    s.status,
    s.replyCode,
    s.diagnostic,
    s.firstBouncedAt,
    s.lastBouncedAt,
    s.bounceCount,
    s.source,
  ];
}
