// Frozen: never edit a migration that has shipped; add a new one.
// Forged bounces: each failure's return-path check, whether it was ignored as forged, and
// the sent-message log a sender without VERP writes.
import type { Kysely } from 'kysely';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations are written against no schema type.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('bounce_events').addColumn('verp', 'text').execute();
  await db.schema
    .alterTable('bounce_events')
    .addColumn('forged', 'integer', (c) => c.notNull().defaultTo(0))
    .execute();
  await db.schema
    .createTable('sent_messages')
    .addColumn('message_id', 'text', (c) => c.primaryKey())
    .addColumn('recipient', 'text', (c) => c.notNull())
    .addColumn('sent_at', 'text', (c) => c.notNull())
    .execute();
}
