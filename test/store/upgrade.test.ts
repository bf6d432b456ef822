// A database written by the version with one mailbox (migrations up to 0009) goes on under
// the one-mailbox shorthand after the upgrade: its folder state becomes the mailbox
// "default"'s, so nothing already counted is counted again.
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { sql, type Kysely } from 'kysely';
import { describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/store/database.ts';
import { migrate } from '../../src/store/migrate.ts';
import { BounceStore } from '../../src/store/bounce-store.ts';
import { testDatabaseUrl } from '../helpers/store.ts';

const MIGRATIONS = new URL('../../migrations/', import.meta.url).pathname;

describe('upgrading a one-mailbox database', () => {
  it('keys its folders as the mailbox default, and the scan finds what it had counted', async () => {
    const url = testDatabaseUrl();
    const db = openDatabase(url);
    try {
      // eslint-disable-next-line @typescript-eslint/no-explicit-any -- the old schema, before 0010.
      const old = db as unknown as Kysely<any>;
      const schema = url.startsWith('postgres') ? new URL(url).searchParams.get('schema') : null;
      if (schema) await sql`create schema if not exists ${sql.id(schema)}`.execute(old);
      await old.schema
        .createTable('kysely_migration')
        .addColumn('name', 'varchar(255)', (c) => c.primaryKey())
        .addColumn('timestamp', 'varchar(255)', (c) => c.notNull())
        .execute();
      for (const file of readdirSync(MIGRATIONS).sort()) {
        const name = file.replace(/\.ts$/, '');
        if (name >= '2026-12-01-0010') break;
        const m = (await import(pathToFileURL(join(MIGRATIONS, file)).href)) as {
          up(db: Kysely<unknown>): Promise<void>;
        };
        await m.up(old);
        await old
          .insertInto('kysely_migration')
          .values({ name, timestamp: new Date().toISOString() })
          .execute();
      }
      const at = new Date().toISOString();
      await old
        .insertInto('mailbox_state')
        .values({ mailbox: 'INBOX', uidvalidity: 7, updated_at: at, highest_modseq: '42' })
        .execute();
      await old
        .insertInto('processed_messages')
        .values({
          mailbox: 'INBOX',
          uidvalidity: 7,
          uid: 3,
          content_hash: 'h',
          outcome: 'bounce',
          target_folder: 'Processed',
          processed_at: at,
        })
        .execute();

      const applied = await migrate(db);
      expect(applied).toContain('2026-12-01-0010-mailboxes');
      const store = new BounceStore(db, {
        softThreshold: 3,
        softDistinctDays: 2,
        softWindowDays: 30,
        suppressComplaints: true,
      });
      expect(store.mailboxName).toBe('default');
      expect(await store.uidValidityOf('INBOX')).toBe(7);
      expect(await store.modseqOf('INBOX', 7)).toBe('42');
      expect(await store.processedUids('INBOX', 7, [3, 4])).toEqual(new Map([[3, 'Processed']]));
      // Another mailbox's INBOX is another folder.
      expect(await store.forMailbox('eu').uidValidityOf('INBOX')).toBeUndefined();
    } finally {
      await db.destroy();
    }
  });
});
