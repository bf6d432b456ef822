// Frozen: never edit a migration that has shipped; add a new one.
// Several replicas share one database and each runs the digest schedule: the first to
// claim a due time sends that digest, the others leave it.
import type { Kysely } from 'kysely';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations are written against no schema type.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('digest_claims')
    .addColumn('due_at', 'text', (c) => c.primaryKey())
    .addColumn('claimed_by', 'text', (c) => c.notNull())
    .addColumn('claimed_at', 'text', (c) => c.notNull())
    .execute();
}
