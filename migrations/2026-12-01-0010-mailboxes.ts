// Frozen: never edit a migration that has shipped; add a new one.
// Several mailboxes: each folder's state is keyed by its mailbox's name ("default/INBOX"),
// and the events, the suppressions and the scans say which mailbox they came from. Rows
// written before came from the one mailbox, which is "default" unless imap.name says not.
import { type Kysely, sql } from 'kysely';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations are written against no schema type.
export async function up(db: Kysely<any>): Promise<void> {
  for (const table of ['processed_messages', 'mailbox_state'])
    await db
      .updateTable(table)
      .set({ mailbox: sql`${'default/'} || mailbox` })
      .execute();
  await db.schema
    .alterTable('bounce_events')
    .addColumn('mailbox', 'text', (c) => c.notNull().defaultTo('default'))
    .execute();
  // The mailbox whose event last suppressed the address; null for one added by hand or imported.
  await db.schema.alterTable('suppressions').addColumn('mailbox', 'text').execute();
  await db.schema
    .alterTable('scan_runs')
    .addColumn('mailbox', 'text', (c) => c.notNull().defaultTo('default'))
    .execute();
  await db.schema
    .createIndex('scan_runs_mailbox')
    .on('scan_runs')
    .columns(['mailbox', 'outcome', 'id'])
    .execute();
  // Locks were keyed "user@host/folder"; a lock left by a killed scan of the old version is stale.
  await db.deleteFrom('scan_locks').execute();
}
