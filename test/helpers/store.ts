// Which store the suite runs against: SQLite files by default, PostgreSQL (on 127.0.0.1:5432,
// database `test`) when BOUNCED_TEST_STORE=postgres — the vitest project "postgres" sets it.
// Each test's database is its own: a new SQLite file, or a new PostgreSQL schema.
import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import pg from 'pg';

export const TEST_STORE: 'sqlite' | 'postgres' =
  process.env.BOUNCED_TEST_STORE === 'postgres' ? 'postgres' : 'sqlite';

/** The PostgreSQL the tests use (trust auth). */
export const TEST_POSTGRES = process.env.BOUNCED_TEST_POSTGRES ?? 'postgres://postgres@127.0.0.1:5432/test';

/** The prefix of every schema a test creates (the global teardown drops them). */
export const TEST_SCHEMA_PREFIX = 'bounced_test_';

/** A new, empty database for one test, as a `database.url`. */
export function testDatabaseUrl(store = TEST_STORE): string {
  if (store === 'postgres')
    return `${TEST_POSTGRES}?schema=${TEST_SCHEMA_PREFIX}${randomBytes(6).toString('hex')}`;
  return join(mkdtempSync(join(tmpdir(), 'bounced-db-')), 'bounced.sqlite');
}

/**
 * Runs one SQL statement on a test database, as a person with a SQL shell would check it:
 * `?` placeholders on either store. Returns the rows (none for a statement without).
 */
export async function sqlOn(
  url: string,
  text: string,
  params: readonly unknown[] = [],
): Promise<Record<string, unknown>[]> {
  if (!/^postgres(ql)?:/.test(url)) {
    const db = new Database(url);
    try {
      const statement = db.prepare(text);
      if (statement.reader) return statement.all(...params) as Record<string, unknown>[];
      statement.run(...params);
      return [];
    } finally {
      db.close();
    }
  }
  const parsed = new URL(url);
  const schema = parsed.searchParams.get('schema');
  parsed.searchParams.delete('schema');
  const client = new pg.Client({
    connectionString: parsed.toString(),
    ...(schema ? { options: `-c search_path=${schema}` } : {}),
    // bigint columns as numbers, as SQLite gives them.
    types: {
      getTypeParser: (oid: number, format?: 'text' | 'binary') =>
        oid === pg.types.builtins.INT8 ? Number : pg.types.getTypeParser(oid, format),
    },
  });
  await client.connect();
  try {
    let n = 0;
    const result = await client.query(
      text.replace(/\?/g, () => `$${++n}`),
      [...params],
    );
    return result.rows as Record<string, unknown>[];
  } finally {
    await client.end();
  }
}

/** Drops the schemas of this run's tests (the global teardown). */
export async function dropTestSchemas(): Promise<void> {
  const client = new pg.Client({ connectionString: TEST_POSTGRES });
  try {
    await client.connect();
    const { rows } = await client.query<{ nspname: string }>(
      'select nspname from pg_namespace where nspname like $1',
      [`${TEST_SCHEMA_PREFIX}%`],
    );
    for (const { nspname } of rows) await client.query(`drop schema if exists "${nspname}" cascade`);
  } finally {
    await client.end().catch(() => undefined);
  }
}
