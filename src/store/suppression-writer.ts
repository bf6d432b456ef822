import { type Kysely, sql, type Transaction } from 'kysely';
import { type PolicySettings, softRule, softThresholdReached, type Suppression } from '../policy/policy.ts';
import type { DatabaseSchema } from './schema.ts';

type Tx = Transaction<DatabaseSchema> | Kysely<DatabaseSchema>;

/** The event that caused a change, as the suppression list records it. */
export interface Cause {
  readonly reason: string;
  readonly cause: string;
  readonly status?: string | null;
  readonly replyCode?: string | null;
  readonly diagnostic?: string | null;
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
  const existing = await tx
    .selectFrom('suppressions')
    .select(['id', 'active'])
    .where('address', '=', address)
    .executeTakeFirst();
  const diagnostic = cause.diagnostic?.slice(0, 1000) ?? null;
  let id: number;
  if (!existing) {
    const row = await tx
      .insertInto('suppressions')
      .values({
        address,
        source: rule.source,
        rule: rule.rule,
        reason: cause.reason,
        cause: cause.cause,
        status: cause.status ?? null,
        reply_code: cause.replyCode ?? null,
        diagnostic,
        first_bounced_at: at,
        last_bounced_at: at,
        bounce_count: evidence.length,
        last_event_id: evidence.at(-1) ?? null,
        created_at: at,
        updated_at: at,
        active: 1,
        suppressed_at: at,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    id = Number(row.id);
    await log(tx, address, 'suppressed', rule, cause.cause, at);
  } else {
    id = Number(existing.id);
    const reactivated = Number(existing.active) === 0;
    await tx
      .updateTable('suppressions')
      .set({
        bounce_count: sql`suppressions.bounce_count + ${evidence.length}`,
        ...(evidence.length ? { last_bounced_at: at, last_event_id: evidence.at(-1)! } : {}),
        updated_at: at,
        ...(reactivated
          ? {
              active: 1,
              source: rule.source,
              rule: rule.rule,
              reason: cause.reason,
              cause: cause.cause,
              status: cause.status ?? null,
              reply_code: cause.replyCode ?? null,
              diagnostic,
              suppressed_at: at,
              removed_at: null,
              removed_reason: null,
            }
          : {}),
      })
      .where('id', '=', id)
      .execute();
    if (reactivated) await log(tx, address, 'suppressed', rule, cause.cause, at);
    await addEvidence(tx, id, evidence, at);
    return reactivated;
  }
  await addEvidence(tx, id, evidence, at);
  return true;
}

async function addEvidence(tx: Tx, id: number, evidence: readonly number[], at: string): Promise<void> {
  for (const eventId of evidence) {
    await tx
      .insertInto('suppression_evidence')
      .values({ suppression_id: id, event_id: eventId, added_at: at })
      .execute();
  }
}

/** Whether an address is on the list now. */
export async function isSuppressed(tx: Tx, address: string): Promise<boolean> {
  const row = await tx
    .selectFrom('suppressions')
    .select('active')
    .where('address', '=', address)
    .executeTakeFirst();
  return row !== undefined && Number(row.active) === 1;
}

/** The events the soft-failure rule counts: failed, not hard, and not the sender's own fault. */
export function softFailureEvents(tx: Tx) {
  return tx
    .selectFrom('bounce_events')
    .where('kind', '=', 'bounce')
    .where('action', '=', 'failed')
    .where('hard', '=', 0)
    .where('sender_side', '=', 0)
    .where('forged', '=', 0);
}

/**
 * The soft failures that count now for an address, oldest first: those since its last
 * reset (a success report, or a manual removal) and within the window.
 */
export async function softFailures(
  tx: Tx,
  address: string,
  settings: PolicySettings,
  now: Date,
): Promise<{ id: number; at: Date; reason: string }[]> {
  const windowStart = new Date(now.getTime() - settings.softWindowDays * 86_400_000).toISOString();
  const lastSuccess = await tx
    .selectFrom('bounce_events')
    .select((eb) => eb.fn.max('occurred_at').as('at'))
    .where('address', '=', address)
    .where('action', 'in', ['delivered', 'relayed', 'expanded'])
    .executeTakeFirst();
  const removed = await tx
    .selectFrom('suppressions')
    .select('removed_at')
    .where('address', '=', address)
    .executeTakeFirst();
  const since = [windowStart, lastSuccess?.at ?? '', removed?.removed_at ?? ''].sort().at(-1)!;
  const rows = await softFailureEvents(tx)
    .select(['id', 'occurred_at', 'created_at', 'reason'])
    .where('address', '=', address)
    .where((eb) => eb(eb.fn.coalesce('occurred_at', 'created_at'), '>', since))
    .orderBy('id')
    .execute();
  return rows.map((r) => ({
    id: Number(r.id),
    at: new Date(r.occurred_at ?? r.created_at),
    reason: r.reason,
  }));
}

/** Applies the soft-failure rule after a soft failure was recorded. */
export async function applySoftRule(
  tx: Tx,
  address: string,
  cause: Cause,
  settings: PolicySettings,
  now: Date,
  at: string,
): Promise<boolean> {
  if (await isSuppressed(tx, address)) return false;
  const failures = await softFailures(tx, address, settings, now);
  if (
    !softThresholdReached(
      failures.map((f) => f.at),
      settings,
      now,
    )
  )
    return false;
  const rule = softRule(settings);
  await suppress(
    tx,
    address,
    rule,
    { ...cause, cause: `${cause.cause}; ${rule.rule}` },
    failures.map((f) => f.id),
    at,
  );
  return true;
}

export async function log(
  tx: Tx,
  address: string,
  action: string,
  rule: Partial<Suppression> | undefined,
  cause: string | null,
  at: string,
): Promise<void> {
  await tx
    .insertInto('suppression_log')
    .values({ address, action, source: rule?.source ?? null, rule: rule?.rule ?? null, cause, at })
    .execute();
}
