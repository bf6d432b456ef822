// `npm run bench` (second part): `bounced export` over 1,000, 100,000 and 1,000,000 suppressions,
// run as the real CLI in its own process, printing time, size and peak RSS for each. Flat
// memory means the two peaks are about the same. Prints figures; asserts nothing.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';

const sizes = (process.argv[2] ?? '1000,100000,1000000').split(',').map(Number);
const dir = mkdtempSync(join(tmpdir(), 'bounced-bench-export-'));
const env = { PATH: process.env.PATH ?? '', BOUNCED_LOG_LEVEL: 'silent' };

function cli(database, args, preload = false) {
  const r = spawnSync(
    process.execPath,
    [...(preload ? ['--import', './scripts/report-rss.mjs'] : []), 'bin/bounced.js', ...args],
    { env: { ...env, BOUNCED_DATABASE_URL: database }, encoding: 'utf8' },
  );
  if (r.status !== 0) throw new Error(`bounced ${args.join(' ')} exited ${r.status}: ${r.stderr}`);
  return r;
}

try {
  for (const n of sizes) {
    const database = join(dir, `export-${n}.sqlite`);
    cli(database, ['migrate']);
    const db = new Database(database);
    const insert = db.prepare(
      `INSERT INTO suppressions (address, source, reason, cause, status, reply_code, diagnostic,
         first_bounced_at, last_bounced_at, bounce_count, created_at, updated_at, active, rule, suppressed_at)
       VALUES (?, 'bounce', 'userunknown', 'Mailbox does not exist', '5.1.1', '550', ?, ?, ?, 1, ?, ?, 1, 'hard bounce', ?)`,
    );
    const at = new Date().toISOString();
    db.transaction(() => {
      for (let i = 0; i < n; i++) {
        const address = `user${i}@receiver${i % 97}.example`;
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

    for (const format of ['csv', 'json']) {
      const output = join(dir, `export-${n}.${format}`);
      const t0 = process.hrtime.bigint();
      const r = cli(database, ['export', '--format', format, '--output', output], true);
      const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
      const { peakRssKiB } = JSON.parse(r.stderr.trim().split('\n').at(-1));
      const mib = statSync(output).size / 1024 / 1024;
      console.log(
        `export ${format} ${n.toLocaleString('en')} rows: ${seconds.toFixed(1)} s (${Math.round(n / seconds).toLocaleString('en')} rows/s), ${mib.toFixed(0)} MiB written, peak RSS ${(peakRssKiB / 1024).toFixed(0)} MiB`,
      );
      rmSync(output);
    }
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
