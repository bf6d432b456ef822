/**
 * `database.url` → the SQLite file it names, or why it names none. The forms:
 * a plain path, `sqlite:relative/path`, `sqlite:/abs/path`, `sqlite:///abs/path` (the URL
 * form with an empty host) and `:memory:`. `sqlite://tmp/x.sqlite` is refused: by URL
 * rules "tmp" is a host, by habit it is a relative folder, and the two readings differ.
 */
export function sqliteFileOf(url: string): { path: string } | { problem: string } {
  if (url === ':memory:' || url === 'sqlite::memory:') return { path: ':memory:' };
  if (/^(postgres|postgresql):/i.test(url))
    return { problem: `PostgreSQL is not supported by this version (got a ${url.split(':')[0]} URL)` };
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
