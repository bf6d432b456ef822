// `npm run bench:api [-- N] [--postgres]`: the HTTP API's lookup latency with N suppressions
// (1,000,000 by default) in SQLite, or with --postgres in a schema of its own in the
// PostgreSQL at BENCH_POSTGRES (default postgres://postgres@127.0.0.1:5432/test). `bounced
// serve` runs as the real CLI in its own process; a client in this process asks, over one
// keep-alive connection at a time, as a sender asks before each send. Prints p50/p90/p99/max
// per kind of call; asserts nothing.
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { performance } from 'node:perf_hooks';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  dropSchema,
  seededAddress as address,
  seedSuppressions,
  seedSuppressionsPostgres,
} from './seed-suppressions.mjs';

const args = process.argv.slice(2);
const postgres = args.includes('--postgres');
const N = Number(args.find((a) => /^\d+$/.test(a)) ?? 1_000_000);
const LOOKUPS = Number(process.env.BENCH_LOOKUPS ?? 20_000);
const TOKEN = 'bench-token-0123456789abcdef';
const dir = mkdtempSync(join(tmpdir(), 'bounced-bench-api-'));
const database = postgres
  ? `${process.env.BENCH_POSTGRES ?? 'postgres://postgres@127.0.0.1:5432/test'}?schema=bench_api_${process.pid}`
  : join(dir, 'api.sqlite');
const env = { PATH: process.env.PATH ?? '', BOUNCED_DATABASE_URL: database };

async function seed() {
  const t0 = performance.now();
  const r = spawnSync(process.execPath, ['bin/bounced.js', 'migrate'], {
    env: { ...env, BOUNCED_LOG_LEVEL: 'silent' },
  });
  if (r.status !== 0) throw new Error(`bounced migrate exited ${r.status}: ${r.stderr}`);
  if (postgres) await seedSuppressionsPostgres(database, N);
  else seedSuppressions(database, N);
  console.log(
    `seeded ${N.toLocaleString('en')} suppressions in ${postgres ? 'PostgreSQL' : 'SQLite'} in ${((performance.now() - t0) / 1000).toFixed(1)} s`,
  );
}

function startServer() {
  const child = spawn(process.execPath, ['bin/bounced.js', 'serve'], {
    env: { ...env, BOUNCED_HTTP_LISTEN: '127.0.0.1:0', BOUNCED_HTTP_TOKEN: TOKEN, BOUNCED_LOG_LEVEL: 'info' },
  });
  let stderr = '';
  return new Promise((resolve, reject) => {
    child.stderr.on('data', (c) => {
      stderr += c;
      const m = /"port":(\d+),"msg":"HTTP API listening"/.exec(stderr);
      if (m) resolve({ child, port: Number(m[1]) });
    });
    child.on('exit', (code) => reject(new Error(`bounced serve exited ${code}: ${stderr}`)));
  });
}

const agent = new Agent({ keepAlive: true, maxSockets: 1 });

function call(port, method, path, body) {
  return new Promise((resolve, reject) => {
    const payload = body === undefined ? undefined : JSON.stringify(body);
    const req = request(
      {
        host: '127.0.0.1',
        port,
        method,
        path,
        agent,
        headers: {
          authorization: `Bearer ${TOKEN}`,
          ...(payload
            ? { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) }
            : {}),
        },
      },
      (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode));
      },
    );
    req.on('error', reject);
    req.end(payload);
  });
}

function percentiles(name, ms) {
  ms.sort((a, b) => a - b);
  const at = (p) => ms[Math.min(ms.length - 1, Math.floor(ms.length * p))].toFixed(2);
  console.log(
    `${name}: ${ms.length.toLocaleString('en')} calls, p50 ${at(0.5)} ms, p90 ${at(0.9)} ms, p99 ${at(0.99)} ms, max ${ms.at(-1).toFixed(2)} ms`,
  );
}

async function timed(count, fn) {
  const out = [];
  for (let i = 0; i < count; i++) {
    const t0 = performance.now();
    await fn(i);
    out.push(performance.now() - t0);
  }
  return out;
}

await seed();
const { child, port } = await startServer();
try {
  // Half of the lookups find a suppression (200), half do not (404), in random order.
  const pick = (i) => (i % 2 ? address(Math.floor(Math.random() * N)) : `nobody${i}@receiver.example`);
  await timed(2_000, (i) => call(port, 'GET', `/v1/suppressions/${pick(i)}`)); // warm-up
  const statuses = new Map();
  const lookups = await timed(LOOKUPS, async (i) => {
    const status = await call(port, 'GET', `/v1/suppressions/${pick(i)}`);
    statuses.set(status, (statuses.get(status) ?? 0) + 1);
  });
  percentiles(
    `GET /v1/suppressions/{address} (${[...statuses].map(([s, n]) => `${n} × ${s}`).join(', ')})`,
    lookups,
  );
  const batch = Array.from({ length: 1000 }, (_, i) => pick(i));
  percentiles(
    'POST /v1/suppressions/check with 1,000 addresses',
    await timed(300, () => call(port, 'POST', '/v1/suppressions/check', { addresses: batch })),
  );
  percentiles(
    'GET /v1/suppressions?limit=100 (a page)',
    await timed(300, () => call(port, 'GET', '/v1/suppressions?limit=100')),
  );
} finally {
  child.kill('SIGTERM');
  agent.destroy();
  rmSync(dir, { recursive: true, force: true });
  if (postgres) await dropSchema(database);
}
