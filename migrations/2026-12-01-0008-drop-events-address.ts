// Frozen: never edit a migration that has shipped; add a new one.
// bounce_events_address_action (0007) begins with the address, so it serves every lookup
// by address; the address index alone is one more index to write for every event.
import type { Kysely } from 'kysely';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations are written against no schema type.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('bounce_events_address').execute();
}
