// N hard-bounce suppressions written straight into a migrated SQLite database, in one
// transaction (about 8 s for 1,000,000): the benchmarks' large lists.
import Database from 'better-sqlite3';

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
