import { type Kysely, sql, type Transaction } from 'kysely';
import type { PolicySettings, Suppression } from '../policy/policy.ts';
import { queryTemplate, rowsTemplate } from './query-template.ts';
import { rowGroups } from './statement-shapes.ts';
import type { DatabaseSchema } from './schema.ts';

export type Tx = Transaction<DatabaseSchema> | Kysely<DatabaseSchema>;

// Statements run many times (a suppression added by hand, the digest's soft counts per
// address; a scan's batch has its own in batch-suppressions.ts), compiled once (see
// queryTemplate and rowsTemplate).
const findSuppression = queryTemplate(['address'], (tx, v) =>
  tx.selectFrom('suppressions').select(['id', 'active']).where('address', '=', v.address),
);
const SUPPRESSION_COLUMNS = [
  'address',
  'source',
  'rule',
  'reason',
  'cause',
  'status',
  'reply_code',
  'diagnostic',
  'first_bounced_at',
  'last_bounced_at',
  'bounce_count',
  'last_event_id',
  'created_at',
  'updated_at',
  'active',
  'suppressed_at',
  'mailbox',
] as const;
const insertSuppressionRows = rowsTemplate(SUPPRESSION_COLUMNS, (tx, rows) =>
  tx.insertInto('suppressions').values(rows).returning(['id', 'address']),
);
const insertLogRows = rowsTemplate(['address', 'action', 'source', 'rule', 'cause', 'at'], (tx, rows) =>
  tx.insertInto('suppression_log').values(rows),
);
const insertEvidenceRows = rowsTemplate(['suppression_id', 'event_id', 'added_at'], (tx, rows) =>
  tx.insertInto('suppression_evidence').values(rows),
);
/** The latest success report for an address. */
const lastSuccessOf = queryTemplate(['address', 'delivered', 'relayed', 'expanded'], (tx, v) =>
  tx
    .selectFrom('bounce_events')
    .select((eb) => eb.fn.max('occurred_at').as('at'))
    .where('address', '=', v.address)
    .where('action', 'in', [v.delivered, v.relayed, v.expanded]),
);
const removedAtOf = queryTemplate(['address'], (tx, v) =>
  tx.selectFrom('suppressions').select('removed_at').where('address', '=', v.address),
);
/** softFailureEvents for one address, its constants given as values (see SOFT_FAILURE). */
const softFailureRows = queryTemplate(['address', 'since', 'bounce', 'failed', 'no'], (tx, v) =>
  softFailureEvents(tx, v)
    .select(['id', 'occurred_at', 'created_at', 'reason'])
    .where('address', '=', v.address)
    // occurred_at is always set (migration 0012): a range of bounce_events_address_action.
    .where('occurred_at', '>', v.since)
    .orderBy('id'),
);

/** The event that caused a change, as the suppression list records it. */
export interface Cause {
  readonly reason: string;
  readonly cause: string;
  readonly status?: string | null;
  readonly replyCode?: string | null;
  readonly diagnostic?: string | null;
  /** The mailbox the event came from; none for a change by hand. */
  readonly mailbox?: string | null;
}

/**
 * Adds or renews a suppression, with its evidence, and logs the change. A removed
 * suppression comes back (history kept) when a new event suppresses the address again.
 *
 * The record's source, rule, reason, cause and status always describe one event: the one
 * that fired the rule. A later event on an active suppression (a 4.1.1 bounce after a
 * complaint) adds evidence and moves last_bounced_at; it does not rewrite the cause under
 * the complaint's rule. bounce_count counts events; a manual add has none.
 */
export async function suppress(
  tx: Tx,
  address: string,
  rule: Suppression,
  cause: Cause,
  evidence: readonly number[],
  at: string,
): Promise<boolean> {
  const [existing] = (await findSuppression(tx, { address })).rows;
  let id: number;
  let added: boolean;
  if (!existing) {
    const ids = await insertSuppressions(tx, [
      newSuppression(address, rule, cause, evidence.length, evidence.at(-1) ?? null, at),
    ]);
    id = ids.get(address)!;
    added = true;
  } else if (Number(existing.active) === 1 && evidence.length) {
    id = Number(existing.id);
    await renewSuppressions(tx, [{ id, count: evidence.length, lastEventId: evidence.at(-1)! }], at);
    added = false;
  } else {
    id = Number(existing.id);
    added = Number(existing.active) === 0;
    await updateSuppression(tx, id, added, rule, cause, evidence, at);
  }
  if (added) await log(tx, address, 'suppressed', rule, cause.cause, at);
  await writeEvidence(
    tx,
    evidence.map((eventId) => ({ suppression_id: id, event_id: eventId, added_at: at })),
  );
  return added;
}

export type SuppressionInsert = Record<(typeof SUPPRESSION_COLUMNS)[number], unknown>;

/** The row of a new suppression: RULE fired, with COUNT events as evidence, the last LASTEVENTID. */
export function newSuppression(
  address: string,
  rule: Suppression,
  cause: Cause,
  count: number,
  lastEventId: number | null,
  at: string,
): SuppressionInsert {
  return {
    address,
    ...causeColumns(rule, cause),
    first_bounced_at: at,
    last_bounced_at: at,
    bounce_count: count,
    last_event_id: lastEventId,
    created_at: at,
    updated_at: at,
    active: 1,
    suppressed_at: at,
  };
}

/** What a suppression records of the rule that fired and the event that fired it. */
function causeColumns(rule: Suppression, cause: Cause) {
  return {
    source: rule.source,
    rule: rule.rule ?? null,
    reason: cause.reason,
    cause: cause.cause,
    status: cause.status ?? null,
    reply_code: cause.replyCode ?? null,
    diagnostic: cause.diagnostic?.slice(0, 1000) ?? null,
    mailbox: cause.mailbox ?? null,
  };
}

/** New suppressions, many rows to a statement; their ids by address. */
export async function insertSuppressions(
  tx: Tx,
  rows: readonly SuppressionInsert[],
): Promise<Map<string, number>> {
  const inserted = await insertSuppressionRows(tx, rows);
  return new Map(inserted.map((r) => [r.address, Number(r.id)]));
}

/**
 * A suppression that exists, given more evidence (possibly none, by hand). A removed one is
 * suppressed again (REACTIVATE): it takes this rule and cause. The caller logs that.
 */
export async function updateSuppression(
  tx: Tx,
  id: number,
  reactivate: boolean,
  rule: Suppression,
  cause: Cause,
  evidence: readonly number[],
  at: string,
): Promise<void> {
  await tx
    .updateTable('suppressions')
    .set({
      bounce_count: sql`suppressions.bounce_count + ${evidence.length}`,
      ...(evidence.length ? { last_bounced_at: at, last_event_id: evidence.at(-1)! } : {}),
      updated_at: at,
      ...(reactivate
        ? {
            ...causeColumns(rule, cause),
            active: 1,
            suppressed_at: at,
            removed_at: null,
            removed_reason: null,
          }
        : {}),
    })
    .where('id', '=', id)
    .execute();
}

/**
 * New events on active suppressions, many in one statement (UPDATE … FROM VALUES, in SQLite
 * 3.33+ and PostgreSQL, whose VALUES columns are both named column1, column2, …): a batch
 * renews one suppression per address that bounced again, and on PostgreSQL each statement
 * is a round trip. The values are cast, since PostgreSQL reads an untyped parameter in
 * VALUES as text. A renewal is evidence, not a new cause: source, rule and cause stay.
 */
export async function renewSuppressions(
  tx: Tx,
  renewals: readonly { id: number; count: number; lastEventId: number }[],
  at: string,
): Promise<void> {
  for (const group of rowGroups(renewals)) {
    const values = sql.join(
      group.map(
        (r) => sql`(cast(${r.id} as bigint), cast(${r.count} as bigint), cast(${r.lastEventId} as bigint))`,
      ),
    );
    await sql`update suppressions set bounce_count = suppressions.bounce_count + v.column2,
      last_event_id = v.column3, last_bounced_at = ${at}, updated_at = ${at}
      from (values ${values}) as v where suppressions.id = v.column1`.execute(tx);
  }
}

/** Evidence rows (a suppression and one of its events), many to a statement. */
export async function writeEvidence(
  tx: Tx,
  rows: readonly { suppression_id: number; event_id: number; added_at: string }[],
): Promise<void> {
  await insertEvidenceRows(tx, rows);
}

/** Whether an address is on the list now. */
export async function isSuppressed(tx: Tx, address: string): Promise<boolean> {
  const [row] = (await findSuppression(tx, { address })).rows;
  return row !== undefined && Number(row.active) === 1;
}

/**
 * What softFailureEvents compares with, as values: a query template names every parameter,
 * so the template passes its placeholders for them, and these at each run.
 */
const SOFT_FAILURE = { bounce: 'bounce', failed: 'failed', no: 0 } as const;

/** The events the soft-failure rule counts: failed, not hard, and not the sender's own fault. */
export function softFailureEvents(
  tx: Tx,
  c: typeof SOFT_FAILURE | Record<keyof typeof SOFT_FAILURE, never> = SOFT_FAILURE,
) {
  return tx
    .selectFrom('bounce_events')
    .where('kind', '=', c.bounce)
    .where('action', '=', c.failed)
    .where('hard', '=', c.no)
    .where('sender_side', '=', c.no)
    .where('forged', '=', c.no);
}

/**
 * The soft failures that count now for an address, oldest first: those since its last
 * reset (a success report, or a manual removal) and within the window. (A batch's rule
 * reads the same, once for the batch: batch-suppressions.ts.)
 */
export async function softFailures(
  tx: Tx,
  address: string,
  settings: PolicySettings,
  now: Date,
): Promise<{ id: number; at: Date; reason: string }[]> {
  const windowStart = new Date(now.getTime() - settings.softWindowDays * 86_400_000).toISOString();
  const [lastSuccess] = (
    await lastSuccessOf(tx, {
      address,
      delivered: 'delivered',
      relayed: 'relayed',
      expanded: 'expanded',
    })
  ).rows;
  const [removed] = (await removedAtOf(tx, { address })).rows;
  const since = [windowStart, lastSuccess?.at ?? '', removed?.removed_at ?? ''].sort().at(-1)!;
  const { rows } = await softFailureRows(tx, { address, since, ...SOFT_FAILURE });
  return rows.map((r) => ({
    id: Number(r.id),
    at: new Date(r.occurred_at ?? r.created_at),
    reason: r.reason,
  }));
}

export type LogRow = Record<'address' | 'action' | 'source' | 'rule' | 'cause' | 'at', unknown>;

/** A line of the suppression list's history. */
export function logRow(
  address: string,
  action: string,
  rule: Partial<Suppression> | undefined,
  cause: string | null,
  at: string,
): LogRow {
  return { address, action, source: rule?.source ?? null, rule: rule?.rule ?? null, cause, at };
}

export async function log(
  tx: Tx,
  address: string,
  action: string,
  rule: Partial<Suppression> | undefined,
  cause: string | null,
  at: string,
): Promise<void> {
  await writeLog(tx, [logRow(address, action, rule, cause, at)]);
}

/** History lines, in order, many rows to a statement. */
export async function writeLog(tx: Tx, rows: readonly LogRow[]): Promise<void> {
  await insertLogRows(tx, rows);
}
