// `npm run bench:store [-- N] [--postgres]`: what a first scan's store costs, alone. N messages
// (10,000 by default) are committed as the scan commits them, in batches of 100, each message
// with one recipient: 6 in 10 hard bounces, 3 soft failures, 1 success report, over 3,001
// addresses (not a multiple of 10: each address gets a mix of kinds), so that hard bounces
// add suppressions and renew them, and some addresses reach the soft threshold first. In SQLite, or with --postgres in a schema of its own in the
// PostgreSQL at BENCH_POSTGRES (default postgres://postgres@127.0.0.1:5432/test), where each
// statement is a round trip. Prints the messages a second and the rows written; asserts nothing.
import { mkdtempSync } from 'node:fs';
import { sql } from 'kysely';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { classifyEvent, immediateSuppression, type PolicySettings } from '../src/policy/policy.ts';
import { BounceStore } from '../src/store/bounce-store.ts';
import { openDatabase } from '../src/store/database.ts';
import { migrate } from '../src/store/migrate.ts';
import type { MessageRecord } from '../src/store/records.ts';

const args = process.argv.slice(2);
const postgres = args.includes('--postgres');
const N = Number(args.find((a) => /^\d+$/.test(a)) ?? 10_000);
const BATCH = 100;
const SCHEMA = `bench_store_${process.pid}`;
const ADDRESSES = 3_001;
const url = postgres
  ? `${process.env.BENCH_POSTGRES ?? 'postgres://postgres@127.0.0.1:5432/test'}?schema=${SCHEMA}`
  : join(mkdtempSync(join(tmpdir(), 'bounced-bench-store-')), 'bounced.sqlite');
const policy: PolicySettings = {
  softThreshold: 3,
  softDistinctDays: 2,
  softWindowDays: 30,
  suppressComplaints: true,
};

/** Message n: its kind by n mod 10, its address by n mod ADDRESSES, its date up to 20 days back. */
function message(n: number): MessageRecord {
  const hard = n % 10 < 6;
  const success = n % 10 === 9;
  const kind = success ? 'delivered' : 'bounce';
  const verdict = { action: success ? 'delivered' : 'failed', hard, senderSide: false };
  const policyClass = classifyEvent(kind, verdict);
  const rule = immediateSuppression(policyClass, policy);
  return {
    mailbox: 'INBOX',
    uidValidity: 1,
    uid: n,
    messageId: `<bench-store-${n}@bench.example>`,
    contentHash: `${n}`.padStart(64, '0'),
    outcome: kind,
    targetFolder: 'Processed',
    events: [
      {
        address: `user${n % ADDRESSES}@receiver${(n % ADDRESSES) % 97}.example`,
        kind,
        ...verdict,
        status: hard ? '5.1.1' : success ? '2.0.0' : '4.2.2',
        reason: hard ? 'userunknown' : success ? 'delivered' : 'mailboxfull',
        diagnostic: hard ? '550 5.1.1 User unknown' : '452 4.2.2 Mailbox full',
        occurredAt: new Date(Date.now() - (n % 20) * 86_400_000).toISOString(),
        policyClass,
        suppress: rule ? { ...rule, cause: 'bench' } : undefined,
      },
    ],
  };
}

const db = openDatabase(url);
try {
  await migrate(db);
  const store = new BounceStore(db, policy);
  let suppressed = 0;
  const started = performance.now();
  for (let i = 0; i < N; i += BATCH) {
    const batch = Array.from({ length: Math.min(BATCH, N - i) }, (_, k) => message(i + k + 1));
    suppressed += (await store.saveBatch(batch)).suppressed;
  }
  const seconds = (performance.now() - started) / 1000;
  const count = async (
    table: 'suppressions' | 'suppression_evidence' | 'suppression_log' | 'bounce_events',
  ) =>
    Number(
      (
        await db
          .selectFrom(table)
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    );
  console.log(
    `${postgres ? 'PostgreSQL' : 'SQLite'}: ${N.toLocaleString('en')} messages in batches of ${BATCH}: ${seconds.toFixed(2)} s, ${Math.round(N / seconds).toLocaleString('en')} msg/s; ` +
      `${suppressed.toLocaleString('en')} suppressed, rows: ${(await count('bounce_events')).toLocaleString('en')} events, ` +
      `${(await count('suppressions')).toLocaleString('en')} suppressions, ${(await count('suppression_evidence')).toLocaleString('en')} evidence, ` +
      `${(await count('suppression_log')).toLocaleString('en')} history`,
  );
} finally {
  if (postgres) await sql.raw(`DROP SCHEMA IF EXISTS "${SCHEMA}" CASCADE`).execute(db);
  await db.destroy();
}
