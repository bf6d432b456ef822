import { type Kysely, sql } from 'kysely';
import { asDatabaseError, DatabaseError, type Db, inTransaction } from './database.ts';
import { isPostgres, schemaOf } from './postgres.ts';
import { MIGRATIONS } from '../../migrations/index.ts';

/** The advisory lock replicas take to migrate one at a time ("bncm" in ASCII). */
const MIGRATION_LOCK = 0x626e636d;

/**
 * Applies every pending migration; returns the names applied. Each migration and the row
 * that records it are one transaction (SQLite's and PostgreSQL's DDL are transactional), so
 * a process killed during its first start leaves no half-built schema behind. Kysely's own
 * Migrator does not use transactions on SQLite; its table, kysely_migration, is kept, so
 * databases it migrated go on from where they are.
 *
 * On PostgreSQL, replicas started together migrate one at a time: each transaction first
 * takes an advisory lock, then looks again at what is applied.
 */
export async function migrate(db: Db): Promise<string[]> {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- the bookkeeping table is not in the schema type.
  const any = db as unknown as Kysely<any>;
  const pg = isPostgres(db);
  const schema = schemaOf(db);
  // Before the first migration there is no bookkeeping table yet; any other error is real.
  const done = await appliedNames(any).catch((err: Error) => {
    if (/no such table|does not exist/.test(err.message)) return new Set<string>();
    throw asDatabaseError(err) ?? err;
  });
  const applied: string[] = [];
  for (const [name, migration] of MIGRATIONS) {
    if (done.has(name)) continue;
    try {
      await inTransaction(db, async (trx) => {
        // eslint-disable-next-line @typescript-eslint/no-explicit-any -- as above
        const t = trx as unknown as Kysely<any>;
        if (pg) {
          await sql`select pg_advisory_xact_lock(${MIGRATION_LOCK})`.execute(t);
          if (schema) await sql`create schema if not exists ${sql.id(schema)}`.execute(t);
        }
        await t.schema
          .createTable('kysely_migration')
          .ifNotExists()
          .addColumn('name', 'varchar(255)', (c) => c.notNull().primaryKey())
          .addColumn('timestamp', 'varchar(255)', (c) => c.notNull())
          .execute();
        // Another replica may have applied it while this one waited for the lock.
        if ((await appliedNames(t)).has(name)) return;
        await migration.up(t);
        await t
          .insertInto('kysely_migration')
          .values({ name, timestamp: new Date().toISOString() })
          .execute();
        applied.push(name);
      });
    } catch (err) {
      const known = asDatabaseError(err);
      throw new DatabaseError(
        `migration ${name} failed: ${known?.message ?? (err as Error).message ?? String(err)}`,
        {
          cause: err,
        },
      );
    }
  }
  return applied;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- the bookkeeping table is not in the schema type.
async function appliedNames(db: Kysely<any>): Promise<Set<string>> {
  const rows = (await db.selectFrom('kysely_migration').select('name').execute()) as { name: string }[];
  return new Set(rows.map((r) => r.name));
}
