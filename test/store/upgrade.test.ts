// Databases written by earlier versions, upgraded. One with one mailbox (migrations up to
// 0009) goes on under the one-mailbox shorthand: its folder state becomes the mailbox
// "default"'s, so nothing already counted is counted again. Events from before 0002 have
// no occurred_at, and 0012 gives them their recording time for the soft-failure window.
import { sql, type Kysely } from 'kysely';
import { describe, expect, it } from 'vitest';
import { type Db, openDatabase } from '../../src/store/database.ts';
import { migrate } from '../../src/store/migrate.ts';
import { MIGRATIONS } from '../../migrations/index.ts';
import { BounceStore } from '../../src/store/bounce-store.ts';
import { softFailures } from '../../src/store/suppression-writer.ts';
import { testDatabaseUrl } from '../helpers/store.ts';

const POLICY = { softThreshold: 3, softDistinctDays: 2, softWindowDays: 30, suppressComplaints: true };

/**
 * A test database as the version before migration BEFORE left it: RUN is given it twice,
 * as the store sees it and as the old schema (no types); it is closed after.
 */
async function withDatabaseBefore(
  before: string,
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- the old schema.
  run: (db: Db, old: Kysely<any>) => Promise<void>,
): Promise<void> {
  const url = testDatabaseUrl();
  const db = openDatabase(url);
  try {
    await run(db, await migratedUpTo(db, url, before));
  } finally {
    await db.destroy();
  }
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- the old schema.
async function migratedUpTo(db: Db, url: string, before: string): Promise<Kysely<any>> {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- the old schema.
  const old = db as unknown as Kysely<any>;
  const schema = url.startsWith('postgres') ? new URL(url).searchParams.get('schema') : null;
  if (schema) await sql`create schema if not exists ${sql.id(schema)}`.execute(old);
  await old.schema
    .createTable('kysely_migration')
    .addColumn('name', 'varchar(255)', (c) => c.primaryKey())
    .addColumn('timestamp', 'varchar(255)', (c) => c.notNull())
    .execute();
  for (const [name, m] of MIGRATIONS) {
    if (name >= before) break;
    await m.up(old);
    await old.insertInto('kysely_migration').values({ name, timestamp: new Date().toISOString() }).execute();
  }
  return old;
}

describe('upgrading a one-mailbox database', () => {
  it('keys its folders as the mailbox default, and the scan finds what it had counted', async () => {
    await withDatabaseBefore('2026-12-01-0010', async (db, old) => {
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
      const store = new BounceStore(db, POLICY);
      expect(store.mailboxName).toBe('default');
      expect(await store.uidValidityOf('INBOX')).toBe(7);
      expect(await store.modseqOf('INBOX', 7)).toBe('42');
      expect(await store.processedUids('INBOX', 7, [3, 4])).toEqual(new Map([[3, 'Processed']]));
      // Another mailbox's INBOX is another folder.
      expect(await store.forMailbox('eu').uidValidityOf('INBOX')).toBeUndefined();
    });
  });
});

describe('upgrading a database with events from before 0002', () => {
  it('gives events recorded before 0002 their recording time, so the soft-failure rule still counts them', async () => {
    await withDatabaseBefore('2026-12-02-0012', async (db, old) => {
      const recorded = new Date(Date.now() - 3 * 86_400_000).toISOString();
      const [message] = await old
        .insertInto('processed_messages')
        .values({
          mailbox: 'default/INBOX',
          uidvalidity: 7,
          uid: 3,
          content_hash: 'h',
          outcome: 'bounce',
          target_folder: 'Processed',
          processed_at: recorded,
        })
        .returning('id')
        .execute();
      // A soft failure as the first version wrote it: no occurred_at.
      await old
        .insertInto('bounce_events')
        .values({
          processed_message_id: message!.id,
          address: 'full@example.com',
          kind: 'bounce',
          action: 'failed',
          reason: 'mailboxfull',
          hard: 0,
          sender_side: 0,
          message_ref: 'INBOX/7/3',
          created_at: recorded,
          occurred_at: null,
        })
        .execute();

      expect(await migrate(db)).toEqual(['2026-12-02-0012-occurred-at-always']);
      const row = await db
        .selectFrom('bounce_events')
        .select(['occurred_at', 'created_at'])
        .executeTakeFirstOrThrow();
      expect(row.occurred_at).toBe(recorded);
      const counted = await softFailures(db, 'full@example.com', POLICY, new Date());
      expect(counted.map((f) => f.at.toISOString())).toEqual([recorded]);
      // Outside the window it is not counted, as before.
      expect(
        await softFailures(db, 'full@example.com', { ...POLICY, softWindowDays: 2 }, new Date()),
      ).toEqual([]);
    });
  });
});
