import { accessSync, constants, existsSync, mkdirSync, statSync } from 'node:fs';
import { isPostgresUrl, postgresTarget, sqliteFileOf } from '../config/database-url.ts';
import { openPostgres, postgresProblem } from './postgres.ts';
import { dirname, resolve } from 'node:path';
import SQLite from 'better-sqlite3';
import { Kysely, SqliteDialect } from 'kysely';
import type { DatabaseSchema } from './schema.ts';

export type Db = Kysely<DatabaseSchema>;

export class DatabaseError extends Error {
  readonly code = 'EDATABASE';
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'DatabaseError';
  }
}

/** `database.url` → a file path (see sqliteFileOf for the forms it takes). */
export function sqlitePath(url: string): string {
  const file = sqliteFileOf(url);
  if ('problem' in file) throw new DatabaseError(`database.url: ${file.problem}`);
  return file.path;
}

/** A database a read-only command needs does not exist: nothing to read yet. */
export class NoDatabaseError extends Error {
  readonly code = 'ENODATABASE';
  constructor(path: string, what = 'no database at') {
    super(`${what} ${path}; run a scan first (bounced scan)`);
    this.name = 'NoDatabaseError';
  }
}

export interface OpenOptions {
  /** Read-only commands never create a database: a missing file is a NoDatabaseError. */
  readonly mustExist?: boolean;
}

/**
 * Opens the database: PostgreSQL for a postgres:// URL (connecting at the first query), else
 * the SQLite file, created when missing (WAL journal, a busy timeout, foreign keys).
 */
export function openDatabase(url: string, options: OpenOptions = {}): Db {
  if (isPostgresUrl(url)) {
    const target = postgresTarget(url);
    if ('problem' in target) throw new DatabaseError(`database.url: ${target.problem}`);
    return openPostgres(target);
  }
  const path = sqlitePath(url);
  if (options.mustExist && (path === ':memory:' || !existsSync(path))) throw new NoDatabaseError(path);
  let sqlite: SQLite.Database;
  try {
    if (path !== ':memory:') makeParents(dirname(resolve(path)));
    sqlite = new SQLite(path);
    sqlite.pragma('journal_mode = WAL');
    sqlite.pragma('busy_timeout = 5000');
    sqlite.pragma('foreign_keys = ON');
    sqlite.pragma('synchronous = NORMAL');
    // A checkpoint every 10,000 WAL pages (40 MiB), not SQLite's 1,000: each one syncs the
    // WAL and the database file on the committing thread, the scan's main thread. A
    // 10,000-message scan writes ~19,000 pages to the WAL (each commit rewrites the leaves
    // of the random-key indexes it touches) and ran 19 checkpoints, 0.45 s of fsync on a
    // slow disk; now 1 and the one at close, 0.23 s (`npm run bench:e2e`, 2026-12-04).
    sqlite.pragma('wal_autocheckpoint = 10000');
    // SQLite's own default page cache, 2 MiB: better-sqlite3 builds it with 16 MiB, which a
    // first scan filled page by page, so its memory grew for the first ~50,000 messages
    // (25 MiB at 20,000; `npm run bench:e2e`). At 2 MiB it is flat, at the same speed.
    sqlite.pragma('cache_size = -2000');
  } catch (err) {
    throw new DatabaseError(`cannot open database ${path}: ${whyNotOpened(path, err)}`, { cause: err });
  }
  return new Kysely<DatabaseSchema>({ dialect: new SqliteDialect({ database: cachingStatements(sqlite) }) });
}

/**
 * The database as Kysely sees it, with prepared statements kept by their SQL: Kysely asks
 * for a new one for every query, and preparing cost as much as running them (half the
 * store's time in a scan's profile). A statement still iterating (a streamed export) is
 * busy, so a second one is prepared beside it for that moment.
 */
function cachingStatements(sqlite: SQLite.Database) {
  const cache = new Map<string, SQLite.Statement>();
  return {
    close: () => sqlite.close(),
    prepare(sql: string): SQLite.Statement {
      const cached = cache.get(sql);
      if (cached && !cached.busy) return cached;
      const statement = sqlite.prepare(sql);
      if (!cached) {
        // Bounded, in case: IN lists and multi-row inserts come in a few shapes (statement-shapes.ts).
        if (cache.size >= 500) cache.delete(cache.keys().next().value!);
        cache.set(sql, statement);
      }
      return statement;
    },
  };
}

/**
 * One transaction. When SQLite ends a transaction itself (SQLITE_FULL at COMMIT, SQLITE_IOERR),
 * the rollback that follows fails with "cannot rollback - no transaction is active"; the
 * error that caused it is the one worth reporting, so it is the one thrown (Kysely's own
 * transaction() throws the rollback's).
 */
export async function inTransaction<T>(db: Db, fn: (trx: Kysely<DatabaseSchema>) => Promise<T>): Promise<T> {
  const trx = await db.startTransaction().execute();
  let result: T;
  try {
    result = await fn(trx);
    await trx.commit().execute();
  } catch (err) {
    await trx
      .rollback()
      .execute()
      .catch(() => undefined);
    throw err;
  }
  return result;
}

const SQLITE_WORDS: Readonly<Record<string, string>> = {
  SQLITE_FULL: 'the disk is full',
  // No room to size the WAL's shared-memory file: a full disk, seen at open.
  SQLITE_IOERR_SHMSIZE: 'the disk is full: no room for the shared-memory file',
  SQLITE_READONLY: 'the database is read-only',
  SQLITE_READONLY_DBMOVED: 'the database file was moved or deleted',
  SQLITE_CANTOPEN: 'the database file cannot be opened',
  SQLITE_IOERR: 'a disk I/O error',
  SQLITE_CORRUPT: 'the database file is corrupt',
  SQLITE_NOTADB: 'the file is not a database',
  SQLITE_BUSY: 'the database is locked by another process',
  SQLITE_PERM: 'permission denied',
};

/**
 * A better-sqlite3 error ("SQLITE_FULL: database or disk is full") or a PostgreSQL one
 * (refused, bad password, disk full …) as a DatabaseError.
 */
export function asDatabaseError(err: unknown): DatabaseError | undefined {
  if (err instanceof DatabaseError) return err;
  if (err instanceof AggregateError && err.errors.length) return asDatabaseError(err.errors[0]);
  const pg = postgresProblem(err);
  if (pg) return new DatabaseError(pg, { cause: err });
  const code = (err as { code?: unknown }).code;
  if (typeof code !== 'string' || !code.startsWith('SQLITE_')) return undefined;
  const base =
    Object.keys(SQLITE_WORDS).find((k) => code === k) ??
    Object.keys(SQLITE_WORDS).find((k) => code.startsWith(`${k}_`));
  const words = base ? SQLITE_WORDS[base] : (err as Error).message;
  return new DatabaseError(`${words} (${code})`, { cause: err });
}

/** SQLite says "unable to open database file"; a read-only directory is the usual cause (WAL writes beside the file). */
function whyNotOpened(path: string, err: unknown): string {
  const known = asDatabaseError(err);
  try {
    accessSync(dirname(resolve(path)), constants.W_OK);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'EROFS' || code === 'EACCES') return `the database directory is read-only (${code})`;
  }
  return known ? known.message : (err as Error).message;
}

/**
 * The database's folder, created when missing. By hand, one level at a time, because
 * mkdirSync's recursive mode never returns under /proc ("/proc/nope/db.sqlite" spins at
 * full CPU on Node 20): the nearest folder that exists must be a writable directory.
 */
function makeParents(dir: string): void {
  const missing: string[] = [];
  let at = dir;
  while (!existsSync(at)) {
    missing.unshift(at);
    const up = dirname(at);
    if (up === at) break;
    at = up;
  }
  if (missing.length === 0) return;
  if (!statSync(at).isDirectory())
    throw Object.assign(new Error(`${at} is not a directory`), { code: 'ENOTDIR' });
  for (const d of missing) mkdirSync(d);
}
