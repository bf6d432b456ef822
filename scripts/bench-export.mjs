// `npm run bench` (second part): `bounced export` over 1,000, 100,000 and 1,000,000 suppressions,
// run as the real CLI in its own process, printing time, size and peak RSS for each. Flat
// memory means the two peaks are about the same. Prints figures; asserts nothing.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { seedSuppressions } from './seed-suppressions.mjs';

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
    seedSuppressions(database, n);

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
