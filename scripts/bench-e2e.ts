// `npm run bench:e2e -- N`: the whole scan against the IMAP server's own floor, in one run.
// A private Dovecot holds two users with the same N unique messages (corpus bounces and
// ordinary mail, each with its own Message-ID). The floor is imapflow alone fetching every
// source in batches of 100 and moving each batch, nothing parsed or stored; then
// `bounced scan --once` runs as a whole process on the other user. A benchmark, not a test:
// it prints figures and asserts nothing. BENCH_RUNS runs (3 by default up to 20,000 messages)
// give each figure as the median of the runs.
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ImapFlow } from 'imapflow';
import { startDovecot } from '../test/helpers/dovecot.ts';
import { seedMaildir } from '../test/helpers/maildir.ts';
import { makeOrdinaryMail } from '../test/helpers/messages.ts';

const N = Number(process.argv[2] ?? 10_000);
const BATCH = 100;

function samples(): Buffer[] {
  const out: Buffer[] = [];
  for (const dir of readdirSync('test/fixtures', { withFileTypes: true })) {
    if (!dir.isDirectory()) continue;
    for (const f of readdirSync(join('test/fixtures', dir.name)))
      if (f.endsWith('.eml')) out.push(readFileSync(join('test/fixtures', dir.name, f)));
  }
  // One in four is ordinary mail (replies, newsletters sent back by hand): the review folder.
  const ordinary = Math.ceil(out.length / 3);
  for (let i = 0; i < ordinary; i++) out.push(makeOrdinaryMail(`Re: question ${i}`));
  return out;
}

/** Sample i of N with its own Message-ID, so that none is a duplicate of another. */
function unique(sample: Buffer, i: number): Buffer {
  const text = sample.toString('latin1');
  const id = `Message-ID: <bench-${i}@bench.example>`;
  const replaced = text.replace(/^Message-ID:[^\r\n]*(\r?\n[ \t][^\r\n]*)*/im, id);
  return Buffer.from(replaced === text ? `${id}\r\n${text}` : replaced, 'latin1');
}

/** The machine's busy CPU seconds so far (all cores), from /proc/stat. */
function machineCpu(): number {
  const fields = readFileSync('/proc/stat', 'utf8').split('\n')[0]!.trim().split(/\s+/).slice(1).map(Number);
  // user nice system idle iowait irq softirq steal: busy is all but idle and iowait.
  const busy = fields.reduce((a, b) => a + b, 0) - fields[3]! - fields[4]!;
  return busy / 100;
}

/** A process's own CPU seconds (user + system), from /proc/PID/stat; one thread's with TID. */
function processCpu(pid: number, tid?: number): number {
  const stat = readFileSync(tid ? `/proc/${pid}/task/${tid}/stat` : `/proc/${pid}/stat`, 'utf8');
  const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(f[11]) + Number(f[12])) / 100;
}

async function floor(host: string, port: number, user: string, password: string): Promise<number> {
  const client = new ImapFlow({ host, port, secure: false, auth: { user, pass: password }, logger: false });
  await client.connect();
  await client.mailboxCreate('Processed').catch(() => undefined);
  await client.mailboxOpen('INBOX');
  const started = performance.now();
  const uids = ((await client.search({ all: true }, { uid: true })) || []).sort((a, b) => a - b);
  for (let i = 0; i < uids.length; i += BATCH) {
    const batch = uids.slice(i, i + BATCH);
    const range = `${batch[0]}:${batch.at(-1)}`;
    let n = 0;
    for await (const msg of client.fetch(range, { uid: true, source: true }, { uid: true }))
      if (msg.source) n++;
    if (n !== batch.length) throw new Error(`fetched ${n} of ${batch.length}`);
    await client.messageMove(range, 'Processed', { uid: true });
  }
  const seconds = (performance.now() - started) / 1000;
  await client.logout();
  return seconds;
}

/** Runs bounced scan --once; its peak RSS is read from /proc (VmHWM) while it runs. */
function bounced(env: Record<string, string>): Promise<{
  seconds: number;
  peakMiB: number;
  stderr: string;
  cpu: { client: number; machine: number; main: number };
}> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const machine0 = machineCpu();
    let clientCpu = 0;
    let mainCpu = 0;
    const bin = process.env.BENCH_BIN ?? 'bin/bounced.js';
    const child = spawn(
      process.execPath,
      [
        // The Node options of the entry point's `#!/usr/bin/env -S node …` line: bounced
        // runs here as it runs installed.
        ...(/^#!.*\bnode\b(.*)$/m
          .exec(readFileSync(bin, 'utf8').split('\n')[0]!)?.[1]
          ?.trim()
          .split(/\s+/)
          .filter(Boolean) ?? []),
        ...(process.env.BENCH_PROFILE ? ['--cpu-prof', '--cpu-prof-dir', process.env.BENCH_PROFILE] : []),
        bin,
        'scan',
        '--once',
        ...(process.env.BENCH_BIN ? [] : ['--quiet']),
      ],
      {
        env: { PATH: process.env.PATH ?? '', ...env },
      },
    );
    let stderr = '';
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    let peakKiB = 0;
    const timeline: number[] = [];
    const poll = setInterval(() => {
      try {
        const status = readFileSync(`/proc/${child.pid}/status`, 'utf8');
        const hwm = /VmHWM:\s+(\d+) kB/.exec(status);
        if (hwm) peakKiB = Math.max(peakKiB, Number(hwm[1]));
        clientCpu = processCpu(child.pid!);
        mainCpu = processCpu(child.pid!, child.pid!);
        const rss = /VmRSS:\s+(\d+) kB/.exec(status);
        if (rss && process.env.BENCH_RSS_TRACE) timeline.push(Math.round(Number(rss[1]) / 1024));
      } catch {
        // exited
      }
    }, 100);
    child.on('close', (code) => {
      clearInterval(poll);
      if (timeline.length)
        process.stderr.write(
          `RSS MiB over the run: ${timeline.filter((_, i) => i % Math.max(1, Math.floor(timeline.length / 20)) === 0).join(' ')}\n`,
        );
      if (code !== 0) reject(new Error(`bounced scan exited ${code}: ${stderr}`));
      else
        resolve({
          seconds: (performance.now() - started) / 1000,
          peakMiB: peakKiB / 1024,
          stderr,
          cpu: { client: clientCpu, machine: machineCpu() - machine0, main: mainCpu },
        });
    });
  });
}

/** BENCH_RUNS runs (default 3 up to 20,000 messages, else 1), each on fresh users; the median is the figure. */
const RUNS = Number(process.env.BENCH_RUNS ?? (N <= 20_000 ? 3 : 1));

const extraEnv = (): Record<string, string> =>
  process.env.BENCH_ENV
    ? Object.fromEntries(
        process.env.BENCH_ENV.split(',').map((kv) => [
          kv.slice(0, kv.indexOf('=')),
          kv.slice(kv.indexOf('=') + 1),
        ]),
      )
    : {};

interface Row {
  n: number;
  floor_msg_s: number;
  bounced_msg_s: number;
  ratio: number;
  own_ms_per_msg: number;
  peak_rss_mib: number;
}

const dovecot = await startDovecot({ tls: false });
try {
  const pool = samples();
  const rows: Row[] = [];
  console.log(`| N | floor (fetch + move) | bounced scan | bounced / floor | own ms/msg | scan peak RSS |`);
  for (let r = 1; r <= RUNS; r++) {
    const users = [`floor${r}`, `bounced${r}`];
    const seedStart = performance.now();
    for (let i = 0; i < N; i += 1000) {
      const chunk = Array.from({ length: Math.min(1000, N - i) }, (_, k) =>
        unique(pool[(i + k) % pool.length]!, i + k),
      );
      for (const user of users) seedMaildir(dovecot, user, chunk);
    }
    process.stderr.write(
      `run ${r}: seeded ${N} messages into 2 users in ${((performance.now() - seedStart) / 1000).toFixed(1)} s\n`,
    );
    // Dovecot builds a folder's index at the first SELECT, and a read-write SELECT moves the
    // seeded files from new/ to cur/: both users pay that before timing. (A STATUS did only
    // the first, which left 160 ms at 10,000 messages to bounced's SELECT; the floor's timer
    // starts after its SELECT and never paid it.)
    for (const user of users) {
      const c = new ImapFlow({
        host: dovecot.host,
        port: dovecot.port,
        secure: false,
        auth: { user, pass: dovecot.password },
        logger: false,
      });
      await c.connect();
      await c.mailboxOpen('INBOX');
      await c.logout();
    }
    const cpu0 = { machine: machineCpu(), own: process.cpuUsage() };
    const floorSeconds = await floor(dovecot.host, dovecot.port, users[0]!, dovecot.password);
    const own = process.cpuUsage(cpu0.own);
    const floorCpu = { client: (own.user + own.system) / 1e6, machine: machineCpu() - cpu0.machine };
    const run = await bounced({
      BOUNCED_IMAP_HOST: dovecot.host,
      BOUNCED_IMAP_PORT: String(dovecot.port),
      BOUNCED_IMAP_TLS: 'none',
      BOUNCED_IMAP_USER: users[1]!,
      BOUNCED_IMAP_PASSWORD: dovecot.password,
      BOUNCED_DATABASE_URL: join(mkdtempSync(join(tmpdir(), 'bounced-bench-')), 'bounced.sqlite'),
      BOUNCED_LOG_LEVEL: 'warn',
      ...extraEnv(),
    });
    if (process.env.BENCH_SHOW_SUMMARY)
      process.stderr.write(
        `${run.stderr
          .split('\n')
          .filter((l) => process.env.BENCH_SHOW_SUMMARY === 'all' || l.includes('scan done'))
          .join('\n')}\n`,
      );
    const floorRate = N / floorSeconds;
    const rate = N / run.seconds;
    const row: Row = {
      n: N,
      floor_msg_s: Math.round(floorRate),
      bounced_msg_s: Math.round(rate),
      ratio: Math.round((rate / floorRate) * 100) / 100,
      own_ms_per_msg: Math.round((((run.seconds - floorSeconds) * 1000) / N) * 100) / 100,
      peak_rss_mib: Math.round(run.peakMiB),
    };
    rows.push(row);
    console.log(printRow(`${N} (run ${r})`, row));
    // Where the time went: the client's own CPU and the whole machine's (Dovecot included),
    // in CPU seconds over the run; 2 cores give at most 2 per second of wall time. bounced's
    // main thread (IMAP, SQLite) is the one the pipeline waits on; its other threads are the
    // analysis worker and V8's garbage collector and compiler threads.
    const cpuLine = (
      name: string,
      seconds: number,
      cpu: { client: number; machine: number; main?: number },
    ) =>
      `${name}: ${seconds.toFixed(2)} s wall, client ${cpu.client.toFixed(2)} CPU s${
        cpu.main === undefined ? '' : ` (main thread ${cpu.main.toFixed(2)})`
      }, machine ${cpu.machine.toFixed(2)} CPU s`;
    process.stderr.write(
      `${cpuLine('floor', floorSeconds, floorCpu)}\n${cpuLine('bounced', run.seconds, run.cpu)}\n`,
    );
  }
  // Each figure's median over the runs (the machine's speed varies by ±15 % from run to run).
  const median = (pick: (r: Row) => number) => {
    const v = rows.map(pick).sort((a, b) => a - b);
    return v[Math.floor(v.length / 2)]!;
  };
  const summary: Row = {
    n: N,
    floor_msg_s: median((r) => r.floor_msg_s),
    bounced_msg_s: median((r) => r.bounced_msg_s),
    ratio: median((r) => r.ratio),
    own_ms_per_msg: median((r) => r.own_ms_per_msg),
    peak_rss_mib: median((r) => r.peak_rss_mib),
  };
  if (RUNS > 1) console.log(printRow(`${N} (median of ${RUNS})`, summary));
  console.log(JSON.stringify(summary));

  // A 20 MB message through the whole scan path: fetched (its first scan.maxMessageBytes),
  // analysed, stored and moved. The scan's own duration, from its summary log line.
  const dsn = pool.find((b) => b.includes('message/delivery-status'))!;
  seedMaildir(dovecot, 'huge', [Buffer.concat([unique(dsn, N + 1), Buffer.alloc(20 * 1024 * 1024, 'A')])]);
  const huge = await bounced({
    BOUNCED_IMAP_HOST: dovecot.host,
    BOUNCED_IMAP_PORT: String(dovecot.port),
    BOUNCED_IMAP_TLS: 'none',
    BOUNCED_IMAP_USER: 'huge',
    BOUNCED_IMAP_PASSWORD: dovecot.password,
    BOUNCED_DATABASE_URL: join(mkdtempSync(join(tmpdir(), 'bounced-bench-')), 'bounced.sqlite'),
    BOUNCED_LOG_LEVEL: 'info',
  });
  const done = huge.stderr
    .split('\n')
    .filter((l) => l.includes('"scan done'))
    .map((l) => JSON.parse(l) as { durationMs: number; seen: number })[0];
  console.log(
    `20 MB message: scan ${done?.durationMs} ms (seen ${done?.seen}), whole process ${Math.round(huge.seconds * 1000)} ms, peak RSS ${Math.round(huge.peakMiB)} MiB`,
  );
} finally {
  await dovecot.stop();
}

function printRow(label: string, r: Row): string {
  return `| ${label} | ${r.floor_msg_s} msg/s | ${r.bounced_msg_s} msg/s | ${r.ratio} | ${r.own_ms_per_msg} ms | ${r.peak_rss_mib} MiB |`;
}
