/** postgres:// or postgresql://: PostgreSQL (src/store/postgres.ts); anything else names SQLite. */
export function isPostgresUrl(url: string): boolean {
  return /^postgres(ql)?:\/\//i.test(url);
}

/**
 * `database.url` → the SQLite file it names, or why it names none. The forms:
 * a plain path, `sqlite:relative/path`, `sqlite:/abs/path`, `sqlite:///abs/path` (the URL
 * form with an empty host) and `:memory:`. `sqlite://tmp/x.sqlite` is refused: by URL
 * rules "tmp" is a host, by habit it is a relative folder, and the two readings differ.
 */
export function sqliteFileOf(url: string): { path: string } | { problem: string } {
  if (url === ':memory:' || url === 'sqlite::memory:') return { path: ':memory:' };
  if (isPostgresUrl(url)) return { problem: 'a postgres URL names no SQLite file' };
  const m = /^sqlite:(.*)$/i.exec(url);
  if (!m) {
    if (/^[a-z][a-z0-9+.-]*:\/\//i.test(url))
      return {
        problem: `unsupported database URL scheme "${url.split(':')[0]}": use a file path or sqlite:`,
      };
    return { path: url };
  }
  const rest = m[1]!;
  if (rest.startsWith('///')) return { path: rest.slice(2) };
  if (rest.startsWith('//')) {
    const tail = rest.slice(2);
    return {
      problem: `"sqlite://${tail}" is ambiguous: write sqlite:///${tail} for the absolute path /${tail}, or sqlite:${tail} for a path relative to the working directory`,
    };
  }
  if (!rest) return { problem: 'the sqlite URL names no file' };
  return { path: rest };
}

/** `?schema=` of a database URL: the tables live there (created when missing), not in `public`. */
const SCHEMA = /^[A-Za-z_][A-Za-z0-9_]{0,62}$/;

export interface PostgresTarget {
  /** The URL as pg takes it (without `schema`). */
  readonly connectionString: string;
  readonly schema?: string;
}

/** A postgres:// URL → what to connect to, or why it cannot be used. */
export function postgresTarget(url: string): PostgresTarget | { problem: string } {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return { problem: 'not a valid postgres:// URL' };
  }
  if (!parsed.hostname && !parsed.searchParams.get('host'))
    return { problem: 'the postgres URL names no host (postgres://user@host:5432/database)' };
  const schema = parsed.searchParams.get('schema') ?? undefined;
  if (schema !== undefined && !SCHEMA.test(schema))
    return {
      problem: `schema: expected letters, digits and "_" (at most 63), got ${JSON.stringify(schema)}`,
    };
  parsed.searchParams.delete('schema');
  return { connectionString: parsed.toString(), ...(schema ? { schema } : {}) };
}

/** The URL with its password replaced, for logs and errors. */
export function redactedUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return url.replace(/:\/\/([^:/@]*):[^@]*@/, '://$1:***@');
  }
}
