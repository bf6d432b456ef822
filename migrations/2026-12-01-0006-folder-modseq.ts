// Frozen: never edit a migration that has shipped; add a new one.
// CONDSTORE (RFC 7162): the folder's HIGHESTMODSEQ when a scan last left it fully handled,
// so that a later scan of an unchanged folder can skip it.
import type { Kysely } from 'kysely';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations are written against no schema type.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('mailbox_state').addColumn('highest_modseq', 'text').execute();
}
