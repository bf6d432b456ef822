import { REASONS } from '../classify/reasons/index.ts';

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

/** A suppression as the export shows it. */
export interface Exportable {
  readonly address: string;
  readonly reason: string;
  readonly cause: string;
  readonly status: string | null;
  readonly replyCode: string | null;
  readonly diagnostic: string | null;
  readonly firstBouncedAt: string;
  readonly lastBouncedAt: string;
  readonly bounceCount: number;
  readonly source: string;
}

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
