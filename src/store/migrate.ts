import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { Kysely } from 'kysely';
import { DatabaseError, type Db, inTransaction } from './database.ts';

// src/store → ../../migrations; compiled, dist/src/store → dist/migrations.
const MIGRATIONS = fileURLToPath(new URL('../../migrations', import.meta.url));

interface Migration {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations are written against no schema type.
  up(db: Kysely<any>): Promise<void>;
}

/**
 * Reads migrations/ and imports each file from here, so that the same code loads the .ts
 * sources under the test runner and the compiled .js in production.
 */
async function migrations(): Promise<[name: string, migration: Migration][]> {
  const out: [string, Migration][] = [];
  for (const file of readdirSync(MIGRATIONS).sort()) {
    if (!/\.(js|ts)$/.test(file) || file.endsWith('.d.ts')) continue;
    const module = (await import(pathToFileURL(join(MIGRATIONS, file)).href)) as Migration;
    out.push([file.replace(/\.(js|ts)$/, ''), module]);
  }
  return out;
}

/**
 * Applies every pending migration; returns the names applied. Each migration and the row
 * that records it are one transaction (SQLite's DDL is transactional), so a process killed
 * during its first start leaves no half-built schema behind. Kysely's own Migrator does
 * not use transactions on SQLite; its table, kysely_migration, is kept, so databases it
 * migrated go on from where they are.
 */
export async function migrate(db: Db): Promise<string[]> {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- the bookkeeping table is not in the schema type.
  const any = db as unknown as Kysely<any>;
  await any.schema
    .createTable('kysely_migration')
    .ifNotExists()
    .addColumn('name', 'varchar(255)', (c) => c.notNull().primaryKey())
    .addColumn('timestamp', 'varchar(255)', (c) => c.notNull())
    .execute();
  const done = new Set(
    ((await any.selectFrom('kysely_migration').select('name').execute()) as { name: string }[]).map(
      (r) => r.name,
    ),
  );
  const applied: string[] = [];
  for (const [name, migration] of await migrations()) {
    if (done.has(name)) continue;
    try {
      await inTransaction(db, async (trx) => {
        // eslint-disable-next-line @typescript-eslint/no-explicit-any -- as above
        const t = trx as unknown as Kysely<any>;
        await migration.up(t);
        await t
          .insertInto('kysely_migration')
          .values({ name, timestamp: new Date().toISOString() })
          .execute();
      });
    } catch (err) {
      throw new DatabaseError(`migration ${name} failed: ${(err as Error).message ?? String(err)}`, {
        cause: err,
      });
    }
    applied.push(name);
  }
  return applied;
}
