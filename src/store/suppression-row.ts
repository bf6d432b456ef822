import { readableAddress } from '../parse/address.ts';
import type { Selectable } from 'kysely';
import type { SuppressionRow } from './records.ts';
import type { SuppressionsTable } from './schema.ts';

/** The columns a SuppressionRow is read from: select these, then map with toSuppressionRow. */
export const SUPPRESSION_COLUMNS = [
  'address',
  'source',
  'reason',
  'cause',
  'rule',
  'status',
  'reply_code',
  'diagnostic',
  'first_bounced_at',
  'last_bounced_at',
  'bounce_count',
  'active',
  'suppressed_at',
  'removed_at',
  'mailbox',
] as const;

export type SuppressionColumns = Pick<Selectable<SuppressionsTable>, (typeof SUPPRESSION_COLUMNS)[number]>;

export function toSuppressionRow(r: SuppressionColumns): SuppressionRow {
  return {
    address: readableAddress(r.address),
    source: r.source,
    reason: r.reason,
    cause: r.cause,
    rule: r.rule,
    status: r.status,
    replyCode: r.reply_code,
    diagnostic: r.diagnostic,
    firstBouncedAt: r.first_bounced_at,
    lastBouncedAt: r.last_bounced_at,
    bounceCount: Number(r.bounce_count),
    active: Number(r.active) === 1,
    suppressedAt: r.suppressed_at,
    removedAt: r.removed_at,
    mailbox: r.mailbox,
  };
}
