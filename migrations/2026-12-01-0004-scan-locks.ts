// Frozen: never edit a migration that has shipped; add a new one.
// One scan per mailbox at a time: the holder of each mailbox's lock.
import type { Kysely } from 'kysely';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations are written against no schema type.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('scan_locks')
    .addColumn('mailbox', 'text', (c) => c.primaryKey())
    .addColumn('pid', 'integer', (c) => c.notNull())
    .addColumn('host', 'text', (c) => c.notNull())
    .addColumn('acquired_at', 'text', (c) => c.notNull())
    .addColumn('heartbeat_at', 'text', (c) => c.notNull())
    .execute();
}
