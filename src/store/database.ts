import { mkdirSync } from 'node:fs';
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

/**
 * `database.url` → a file path. Accepts a plain path, `sqlite:PATH`, `sqlite://PATH`
 * (`sqlite:///abs/path` for an absolute one) and `:memory:`.
 */
export function sqlitePath(url: string): string {
  if (url === ':memory:' || url === 'sqlite::memory:') return ':memory:';
  if (/^(postgres|postgresql):/i.test(url)) {
    throw new DatabaseError(
      `database.url: PostgreSQL is not supported by this version (got a ${url.split(':')[0]} URL)`,
    );
  }
  const m = /^sqlite:(\/\/)?(.*)$/i.exec(url);
  const path = m ? m[2]! : url;
  if (!path) throw new DatabaseError('database.url: the sqlite URL names no file');
  return path;
}

/** Opens (creating when missing) the SQLite database: WAL journal, a busy timeout, foreign keys. */
export function openDatabase(url: string): Db {
  const path = sqlitePath(url);
  let sqlite: SQLite.Database;
  try {
    if (path !== ':memory:') mkdirSync(dirname(resolve(path)), { recursive: true });
    sqlite = new SQLite(path);
    sqlite.pragma('journal_mode = WAL');
    sqlite.pragma('busy_timeout = 5000');
    sqlite.pragma('foreign_keys = ON');
    sqlite.pragma('synchronous = NORMAL');
  } catch (err) {
    throw new DatabaseError(`cannot open database ${path}: ${(err as Error).message}`, { cause: err });
  }
  return new Kysely<DatabaseSchema>({ dialect: new SqliteDialect({ database: sqlite }) });
}
