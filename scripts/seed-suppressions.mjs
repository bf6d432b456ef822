// N hard-bounce suppressions written straight into a migrated database, in one transaction
// (SQLite: about 8 s for 1,000,000; PostgreSQL: one INSERT … SELECT over generate_series):
// the benchmarks' large lists.
import Database from 'better-sqlite3';
import pg from 'pg';

/** The i-th seeded address, spread over 97 domains. */
export const seededAddress = (i) => `user${i}@receiver${i % 97}.example`;

export function seedSuppressions(database, n) {
  const db = new Database(database);
  const insert = db.prepare(
    `INSERT INTO suppressions (address, source, reason, cause, status, reply_code, diagnostic,
       first_bounced_at, last_bounced_at, bounce_count, created_at, updated_at, active, rule, suppressed_at)
     VALUES (?, 'bounce', 'userunknown', 'Mailbox does not exist', '5.1.1', '550', ?, ?, ?, 1, ?, ?, 1, 'hard bounce', ?)`,
  );
  const at = new Date().toISOString();
  db.transaction(() => {
    for (let i = 0; i < n; i++) {
      const address = seededAddress(i);
      insert.run(
        address,
        `550 5.1.1 <${address}>: Recipient address rejected: User unknown`,
        at,
        at,
        at,
        at,
        at,
      );
    }
  })();
  db.close();
}

/** The same rows in a migrated PostgreSQL schema (the URL's `schema`), then ANALYZE. */
export async function seedSuppressionsPostgres(url, n) {
  const parsed = new URL(url);
  const schema = parsed.searchParams.get('schema');
  parsed.searchParams.delete('schema');
  const client = new pg.Client({
    connectionString: parsed.toString(),
    ...(schema ? { options: `-c search_path=${schema}` } : {}),
  });
  await client.connect();
  try {
    const at = new Date().toISOString();
    const address = "'user' || i || '@receiver' || (i % 97) || '.example'";
    await client.query(
      `INSERT INTO suppressions (address, source, reason, cause, status, reply_code, diagnostic,
         first_bounced_at, last_bounced_at, bounce_count, created_at, updated_at, active, rule, suppressed_at)
       SELECT ${address}, 'bounce', 'userunknown', 'Mailbox does not exist', '5.1.1', '550',
         '550 5.1.1 <' || ${address} || '>: Recipient address rejected: User unknown',
         $1, $1, 1, $1, $1, 1, 'hard bounce', $1
       FROM generate_series(0, $2::int - 1) AS i`,
      [at, n],
    );
    await client.query('ANALYZE');
  } finally {
    await client.end();
  }
}

/** Drops the schema a benchmark made. */
export async function dropSchema(url) {
  const parsed = new URL(url);
  const schema = parsed.searchParams.get('schema');
  parsed.searchParams.delete('schema');
  const client = new pg.Client({ connectionString: parsed.toString() });
  await client.connect();
  try {
    await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
  } finally {
    await client.end();
  }
}
