import { createRequire } from 'node:module';
import type pg from 'pg';
import type Cursor from 'pg-cursor';
import { Kysely, PostgresAdapter, PostgresDialect, sql } from 'kysely';
import type { DatabaseSchema } from './schema.ts';
import type { PostgresTarget } from '../config/database-url.ts';

// PostgreSQL through kysely: the one file that knows `pg`. Several bounced replicas may
// share one database; the same migrations and queries run on it as on SQLite.

// pg and pg-cursor are loaded when a PostgreSQL database is first opened: every command on
// SQLite (a scan, `suppressions list`) started 0.1 s slower for loading them (CommonJS, so
// required synchronously here).
const require = createRequire(import.meta.url);
let loaded: { pg: typeof pg; Cursor: typeof Cursor } | undefined;
const pgLib = () =>
  (loaded ??= { pg: require('pg') as typeof pg, Cursor: require('pg-cursor') as typeof Cursor });

/**
 * bigint columns (ids, UIDs, counts) as numbers, as SQLite gives them: pg gives them as
 * strings, since int8 can exceed 2^53; none of ours comes near it.
 */
const types = {
  getTypeParser(oid: number, format?: 'text' | 'binary') {
    const { pg } = pgLib();
    if (oid === pg.types.builtins.INT8 && format !== 'binary') return (v: string) => Number(v);
    return pg.types.getTypeParser(oid, format);
  },
};

/** What each database opened here connects to (the pool's, and each scan lock's own). */
const targets = new WeakMap<object, PostgresTarget>();

/** What every connection of ours is opened with: the pool's and each scan lock's. */
function connectionConfig(target: PostgresTarget): pg.ClientConfig {
  return {
    connectionString: target.connectionString,
    // Every connection works in the schema (search_path is a startup option: no query races it).
    ...(target.schema ? { options: `-c search_path=${target.schema}` } : {}),
    types,
    connectionTimeoutMillis: 10_000,
    // A replica whose PostgreSQL connection is cut must notice: its advisory locks are gone.
    keepAlive: true,
    keepAliveInitialDelayMillis: 10_000,
  };
}

/** A pool of a few connections: the scans, the digest and the API share it. */
export function openPostgres(target: PostgresTarget): Kysely<DatabaseSchema> {
  const { pg, Cursor } = pgLib();
  const pool = new pg.Pool({ ...connectionConfig(target), max: 6 });
  // A connection that dies (PostgreSQL restarted, the network cut) must not take the process
  // with it: pg emits 'error' on the client as well as failing its query, and an 'error'
  // without a listener is thrown. The pool's own event covers idle connections; this one
  // the connections in use, whose query fails with the same error and is reported there.
  pool.on('error', () => undefined);
  pool.on('connect', (client) => client.on('error', () => undefined));
  // The cursor streams the export a thousand rows at a time, as SQLite's iterator does.
  const db = new Kysely<DatabaseSchema>({ dialect: new PostgresDialect({ pool, cursor: Cursor }) });
  targets.set(db, target);
  return db;
}

export function isPostgres(db: Kysely<DatabaseSchema>): boolean {
  return db.getExecutor().adapter instanceof PostgresAdapter;
}

/** The schema the URL named, to be created before the migrations run. */
export function schemaOf(db: Kysely<DatabaseSchema>): string | undefined {
  return targets.get(db)?.schema;
}

const PG_WORDS: Readonly<Record<string, string>> = {
  ECONNREFUSED: 'PostgreSQL refused the connection (is it running, on that host and port?)',
  ENOTFOUND: 'no such PostgreSQL host',
  ETIMEDOUT: 'PostgreSQL did not answer in time',
  ECONNRESET: 'the connection to PostgreSQL was reset',
  '28P01': 'PostgreSQL refused the password',
  '28000': 'PostgreSQL refused the login (pg_hba.conf)',
  '3D000': 'no such PostgreSQL database',
  '53300': 'PostgreSQL has too many connections',
  '57P01': 'PostgreSQL was shut down',
  '42501': 'PostgreSQL: permission denied',
  '53100': 'PostgreSQL: the disk is full',
};

/**
 * A pg or network error in words, or undefined when it is neither. pg's errors carry the
 * SQLSTATE (`28P01`: bad password) or the socket's code (ECONNREFUSED).
 */
export function postgresProblem(err: unknown): string | undefined {
  if (!(err instanceof Error)) return undefined;
  // The server's own errors: pg's DatabaseError, with the SQLSTATE (none before pg is loaded).
  if (loaded && err instanceof loaded.pg.DatabaseError && err.code)
    return `${PG_WORDS[err.code] ?? `PostgreSQL: ${err.message}`} (${err.code})`;
  // The socket's, which pg passes on as they are: Node's system errors (with a syscall).
  // An error of our own with a code (a MailboxError's EAUTH) is someone else's.
  const { code, syscall } = err as { code?: unknown; syscall?: unknown };
  if (typeof syscall === 'string' && typeof code === 'string')
    return PG_WORDS[code] ? `${PG_WORDS[code]} (${code})` : undefined;
  // pg's own, plain Errors.
  return err.constructor === Error &&
    /Connection terminated|timeout exceeded when trying to connect/i.test(err.message)
    ? `PostgreSQL: ${err.message}`
    : undefined;
}

/** Held while a scan runs: PostgreSQL frees it when the connection ends, however the process ends. */
export interface AdvisoryLock {
  /** Why the lock is gone (its connection closed or failed), while we still think we hold it. */
  lost(): Error | undefined;
  release(): Promise<void>;
}

/** Advisory locks of bounced: class "bncs" (scans) and the mailbox's name hashed. */
const SCAN_LOCK_CLASS = 0x626e6373;
const KEY = "hashtext(current_schema() || '/' || $2)";

/**
 * Takes the advisory lock of this mailbox on a connection of its own (outside the pool,
 * which the scan's queries use), or answers undefined when another session holds it. The
 * lock lives as long as that connection: a replica killed with SIGKILL loses it at once (its
 * socket closes); one whose host vanished, once PostgreSQL's TCP keepalives give up on it.
 */
export async function tryAdvisoryLock(
  db: Kysely<DatabaseSchema>,
  name: string,
): Promise<AdvisoryLock | undefined> {
  const target = targets.get(db);
  if (!target) throw new Error('tryAdvisoryLock: not a PostgreSQL database opened by openPostgres');
  const client = new (pgLib().pg.Client)(connectionConfig(target));
  let lost: Error | undefined;
  let releasing = false;
  client.on('error', (err) => {
    lost ??= err;
  });
  client.on('end', () => {
    if (!releasing) lost ??= new Error('the connection holding the scan lock closed');
  });
  await client.connect();
  try {
    // Advisory locks are per database, not per schema: the schema is part of the key, so
    // that two deployments in two schemas of one database never wait for each other.
    const { rows } = await client.query<{ ok: boolean }>(`select pg_try_advisory_lock($1, ${KEY}) as ok`, [
      SCAN_LOCK_CLASS,
      name,
    ]);
    if (rows[0]?.ok !== true) {
      releasing = true;
      await client.end();
      return undefined;
    }
  } catch (err) {
    releasing = true;
    await client.end().catch(() => undefined);
    throw err;
  }
  return {
    lost: () => lost,
    async release() {
      releasing = true;
      // Ending the session frees the lock; the unlock says so at once.
      await client
        .query(`select pg_advisory_unlock($1, ${KEY})`, [SCAN_LOCK_CLASS, name])
        .catch(() => undefined);
      await client.end().catch(() => undefined);
    },
  };
}

/** Whether the migrations ever ran in this database's schema. */
export async function hasMigrated(db: Kysely<DatabaseSchema>): Promise<boolean> {
  const { rows } = await sql<{ t: string | null }>`select to_regclass('kysely_migration') as t`.execute(db);
  return rows[0]?.t != null;
}
