// Frozen: never edit a migration that has shipped; add a new one.
// The soft-failure rule runs for every soft failure and asks, for its address, when the
// last success report came and which failures count. On the address index alone both read
// every event of the address, so an address that bounced often cost more each time (a
// first scan of 100,000 messages with recurring addresses slowed as it went).
import type { Kysely } from 'kysely';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations are written against no schema type.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createIndex('bounce_events_address_action')
    .on('bounce_events')
    .columns(['address', 'action', 'occurred_at'])
    .execute();
}
