// Frozen: never edit a migration that has shipped; add a new one.
// Suppression policy (evidence, rule, removal history), digests, and the review folder count.
import { type Kysely, PostgresAdapter } from 'kysely';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations are written against no schema type.
export async function up(db: Kysely<any>): Promise<void> {
  const pg = db.getExecutor().adapter instanceof PostgresAdapter;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- the column builder's type is internal to kysely.
  const id = (c: any) =>
    pg ? c.generatedByDefaultAsIdentity().primaryKey() : c.primaryKey().autoIncrement();
  const idType = pg ? 'bigint' : 'integer';

  await db.schema.alterTable('suppressions').addColumn('rule', 'text').execute();
  await db.schema
    .alterTable('suppressions')
    .addColumn('active', 'integer', (c) => c.notNull().defaultTo(1))
    .execute();
  await db.schema.alterTable('suppressions').addColumn('suppressed_at', 'text').execute();
  await db.schema.alterTable('suppressions').addColumn('removed_at', 'text').execute();
  await db.schema.alterTable('suppressions').addColumn('removed_reason', 'text').execute();
  await db.schema.createIndex('suppressions_updated_at').on('suppressions').column('updated_at').execute();

  // When the failure happened (the bounce's Date), for the soft-failure window.
  await db.schema.alterTable('bounce_events').addColumn('occurred_at', 'text').execute();
  await db.schema.createIndex('bounce_events_created_at').on('bounce_events').column('created_at').execute();

  await db.schema
    .createTable('suppression_evidence')
    .addColumn('id', idType, id)
    .addColumn('suppression_id', idType, (c) => c.notNull().references('suppressions.id'))
    .addColumn('event_id', idType, (c) => c.references('bounce_events.id'))
    .addColumn('added_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('suppression_evidence_suppression')
    .on('suppression_evidence')
    .column('suppression_id')
    .execute();

  // Every change to the list, kept for good: the history behind `suppressions show`.
  await db.schema
    .createTable('suppression_log')
    .addColumn('id', idType, id)
    .addColumn('address', 'text', (c) => c.notNull())
    .addColumn('action', 'text', (c) => c.notNull())
    .addColumn('source', 'text')
    .addColumn('rule', 'text')
    .addColumn('cause', 'text')
    .addColumn('at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('suppression_log_address').on('suppression_log').column('address').execute();
  await db.schema.createIndex('suppression_log_at').on('suppression_log').column('at').execute();

  await db.schema
    .createTable('digests')
    .addColumn('id', idType, id)
    .addColumn('period_start', 'text', (c) => c.notNull())
    .addColumn('period_end', 'text', (c) => c.notNull())
    .addColumn('attempted_at', 'text', (c) => c.notNull())
    .addColumn('outcome', 'text', (c) => c.notNull())
    .addColumn('error', 'text')
    .execute();

  await db.schema.alterTable('scan_runs').addColumn('review_waiting', 'integer').execute();
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- see up().
export async function down(db: Kysely<any>): Promise<void> {
  for (const table of ['digests', 'suppression_log', 'suppression_evidence'])
    await db.schema.dropTable(table).execute();
}
