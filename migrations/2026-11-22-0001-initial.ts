// Frozen: never edit a migration that has shipped; add a new one.
import { type Kysely, PostgresAdapter } from 'kysely';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations are written against no schema type.
export async function up(db: Kysely<any>): Promise<void> {
  const pg = db.getExecutor().adapter instanceof PostgresAdapter;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- the column builder's type is internal to kysely.
  const id = (c: any) =>
    pg ? c.generatedByDefaultAsIdentity().primaryKey() : c.primaryKey().autoIncrement();
  const idType = pg ? 'bigint' : 'integer';

  await db.schema
    .createTable('mailbox_state')
    .addColumn('mailbox', 'text', (c) => c.primaryKey())
    .addColumn('uidvalidity', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('processed_messages')
    .addColumn('id', idType, id)
    .addColumn('mailbox', 'text', (c) => c.notNull())
    .addColumn('uidvalidity', 'bigint', (c) => c.notNull())
    .addColumn('uid', 'bigint', (c) => c.notNull())
    .addColumn('message_id', 'text')
    .addColumn('content_hash', 'text', (c) => c.notNull())
    .addColumn('outcome', 'text', (c) => c.notNull())
    .addColumn('format', 'text')
    .addColumn('note', 'text')
    .addColumn('subject', 'text')
    .addColumn('target_folder', 'text', (c) => c.notNull())
    .addColumn('processed_at', 'text', (c) => c.notNull())
    .addColumn('moved_at', 'text')
    .addUniqueConstraint('processed_messages_mailbox_uid', ['mailbox', 'uidvalidity', 'uid'])
    .execute();
  await db.schema
    .createIndex('processed_messages_message_id')
    .on('processed_messages')
    .column('message_id')
    .execute();
  await db.schema
    .createIndex('processed_messages_content_hash')
    .on('processed_messages')
    .column('content_hash')
    .execute();

  await db.schema
    .createTable('bounce_events')
    .addColumn('id', idType, id)
    .addColumn('processed_message_id', idType, (c) => c.notNull().references('processed_messages.id'))
    .addColumn('address', 'text', (c) => c.notNull())
    .addColumn('original_recipient', 'text')
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('action', 'text', (c) => c.notNull())
    .addColumn('status', 'text')
    .addColumn('status_source', 'text')
    .addColumn('reply_code', 'text')
    .addColumn('reason', 'text', (c) => c.notNull())
    .addColumn('hard', 'integer', (c) => c.notNull())
    .addColumn('sender_side', 'integer', (c) => c.notNull())
    .addColumn('diagnostic', 'text')
    .addColumn('remote_mta', 'text')
    .addColumn('reporting_mta', 'text')
    .addColumn('original_message_id', 'text')
    .addColumn('arrival_date', 'text')
    .addColumn('message_ref', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('bounce_events_address').on('bounce_events').column('address').execute();

  await db.schema
    .createTable('suppressions')
    .addColumn('id', idType, id)
    .addColumn('address', 'text', (c) => c.notNull().unique())
    .addColumn('source', 'text', (c) => c.notNull())
    .addColumn('reason', 'text', (c) => c.notNull())
    .addColumn('cause', 'text', (c) => c.notNull())
    .addColumn('status', 'text')
    .addColumn('reply_code', 'text')
    .addColumn('diagnostic', 'text')
    .addColumn('first_bounced_at', 'text', (c) => c.notNull())
    .addColumn('last_bounced_at', 'text', (c) => c.notNull())
    .addColumn('bounce_count', 'integer', (c) => c.notNull())
    .addColumn('last_event_id', idType)
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('scan_runs')
    .addColumn('id', idType, id)
    .addColumn('started_at', 'text', (c) => c.notNull())
    .addColumn('finished_at', 'text')
    .addColumn('outcome', 'text', (c) => c.notNull())
    .addColumn('seen', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('bounces', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('unrecognized', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('moved', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('error', 'text')
    .execute();
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- see up().
export async function down(db: Kysely<any>): Promise<void> {
  for (const table of ['scan_runs', 'suppressions', 'bounce_events', 'processed_messages', 'mailbox_state']) {
    await db.schema.dropTable(table).execute();
  }
}
