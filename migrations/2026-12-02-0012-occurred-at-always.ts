// Frozen: never edit a migration that has shipped; add a new one.
// Every event is written with occurred_at (its report's date, else when it was recorded);
// only events recorded before 0002 added the column have none. Given theirs, the
// soft-failure rule can ask for `occurred_at > since` and read only the window's events
// off bounce_events_address_action (0007), instead of `coalesce(occurred_at, created_at)`,
// which no index serves: it read every failure the address ever had, for each new one
// (0.65 ms a query for an address with ~800 failures, 12 of a 100,000-message first scan's
// 30 main-thread CPU seconds, `npm run bench:e2e`).
import { sql, type Kysely } from 'kysely';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations are written against no schema type.
export async function up(db: Kysely<any>): Promise<void> {
  await db
    .updateTable('bounce_events')
    .set({ occurred_at: sql`created_at` })
    .where('occurred_at', 'is', null)
    .execute();
}
