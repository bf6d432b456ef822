// Frozen: never edit a migration that has shipped; add a new one.
// The folders a scan used, as the server names them (JSON: folder, processed, review), so
// that `bounced health` shows a name resolved in the personal namespace (`INBOX.Processed`).
import type { Kysely } from 'kysely';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations are written against no schema type.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('scan_runs').addColumn('folders', 'text').execute();
}
