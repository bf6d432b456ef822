// PostgreSQL as a user meets it: a URL with a schema, errors that name the problem and never
// the password, and replicas started together that migrate one at a time.
import { describe, expect, it } from 'vitest';
import { runCli, runCliAsync } from '../helpers/cli.ts';
import { sqlOn, TEST_POSTGRES, testDatabaseUrl } from '../helpers/store.ts';

const base = { BOUNCED_LOG_LEVEL: 'info' };

describe('database.url: postgres://', () => {
  it('migrates into the schema the URL names, once, when three replicas start together', async () => {
    const url = testDatabaseUrl('postgres');
    const runs = await Promise.all(
      [1, 2, 3].map(() => runCliAsync(['migrate'], { ...base, BOUNCED_DATABASE_URL: url })),
    );
    for (const r of runs) expect(r.code, r.stderr).toBe(0);
    const applied = runs.filter((r) => r.stderr.includes('"msg":"migrations applied"'));
    expect(applied.length).toBeGreaterThanOrEqual(1);
    const rows = await sqlOn(url, 'select name from kysely_migration order by name');
    expect(rows.length).toBeGreaterThanOrEqual(11);
    expect(new Set(rows.map((r) => r.name)).size).toBe(rows.length);
    // In that schema, not in public.
    const schema = new URL(url).searchParams.get('schema');
    const tables = await sqlOn(
      TEST_POSTGRES,
      'select table_schema from information_schema.tables where table_name = ?',
      ['suppressions'],
    );
    expect(tables.map((t) => t.table_schema)).toContain(schema);
  });

  it('says in one line why it cannot use the database, never with the password, and exits 74', () => {
    const refused = runCli(['suppressions', 'list'], {
      ...base,
      BOUNCED_DATABASE_URL: 'postgres://bounced:Hunter2-s3cret@127.0.0.1:1/test',
    });
    expect(refused.code).toBe(74);
    expect(refused.stderr).toBe(
      'bounced: database error: PostgreSQL refused the connection (is it running, on that host and port?) (ECONNREFUSED)\n',
    );
    const missing = runCli(['migrate'], {
      ...base,
      BOUNCED_DATABASE_URL: `${TEST_POSTGRES.replace(/\/test$/, '/no_such_database')}`,
    });
    expect(missing.code).toBe(74);
    expect(missing.stderr).toContain('no such PostgreSQL database (3D000)');
    const migrated = runCli(['migrate'], {
      ...base,
      BOUNCED_DATABASE_URL: testDatabaseUrl('postgres').replace('postgres@', 'postgres:Hunter2-s3cret@'),
    });
    expect(migrated.code, migrated.stderr).toBe(0);
    expect(migrated.stderr).toContain('postgres:***@127.0.0.1');
    for (const r of [refused, missing, migrated]) expect(r.stderr + r.stdout).not.toContain('Hunter2');
  });

  it('refuses a bad schema name or a URL without a host as a config error naming database.url', () => {
    const bad = runCli(['migrate'], { ...base, BOUNCED_DATABASE_URL: `${TEST_POSTGRES}?schema=a-b` });
    expect(bad.code).toBe(78);
    expect(bad.stderr).toBe(
      'bounced: config error: database.url (from BOUNCED_DATABASE_URL): schema: expected letters, digits and "_" (at most 63), got "a-b"\n',
    );
    const noHost = runCli(['migrate'], { ...base, BOUNCED_DATABASE_URL: 'postgres:///test' });
    expect(noHost.code).toBe(78);
    expect(noHost.stderr).toContain(
      'database.url (from BOUNCED_DATABASE_URL): the postgres URL names no host',
    );
  });

  it('a read-only command on an empty schema creates nothing', async () => {
    const url = testDatabaseUrl('postgres');
    const r = runCli(['suppressions', 'list'], { ...base, BOUNCED_DATABASE_URL: url });
    expect(r.code).toBe(66);
    expect(r.stderr).toBe(`bounced: no bounced tables in ${url}; run a scan first (bounced scan)\n`);
    const schema = new URL(url).searchParams.get('schema');
    expect(await sqlOn(TEST_POSTGRES, 'select 1 from pg_namespace where nspname = ?', [schema])).toEqual([]);
  });
});
