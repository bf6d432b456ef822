// Three `bounced run` replicas on one PostgreSQL and two mailboxes, one of them killed with
// SIGKILL in the middle of its scans: each mailbox is scanned by one replica at a time, the
// killed one's mailboxes are taken over, every message is counted exactly once, and
// exactly one digest is sent.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { startCli } from '../helpers/cli.ts';
import { freshUser, readFolder, seedMaildir } from '../helpers/maildir.ts';
import { makeDsn } from '../helpers/messages.ts';
import { type SmtpSink, smtpEnvFor, startSmtpSink } from '../helpers/smtp-sink.ts';
import { sqlOn, testDatabaseUrl } from '../helpers/store.ts';

const dovecot = inject('dovecot');
const N = 600;
let sink: SmtpSink;

beforeAll(async () => {
  sink = await startSmtpSink();
});
afterAll(async () => {
  await sink?.stop();
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function until(what: string, check: () => Promise<boolean> | boolean, timeoutMs = 60_000) {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting until ${what}`);
    await sleep(100);
  }
}

/** A cron expression (with seconds) that falls due once, at `at` (UTC). */
function onceAt(at: Date): string {
  return `${at.getUTCSeconds()} ${at.getUTCMinutes()} ${at.getUTCHours()} ${at.getUTCDate()} ${at.getUTCMonth() + 1} *`;
}

describe('replicas on PostgreSQL', () => {
  it('three replicas, two mailboxes, one replica killed halfway: every message counted once, one digest', async () => {
    const users = { a: freshUser('replica-a'), b: freshUser('replica-b') };
    for (const [name, user] of Object.entries(users))
      seedMaildir(
        dovecot,
        user,
        Array.from({ length: N }, (_, i) =>
          makeDsn({ recipients: [{ address: `r${i}@${name}.example`, status: '5.1.1' }] }),
        ),
      );
    const dir = mkdtempSync(join(tmpdir(), 'bounced-replicas-'));
    const config = join(dir, 'bounced.yaml');
    writeFileSync(
      config,
      [
        'imap:',
        `  host: ${dovecot.host}`,
        `  port: ${dovecot.imapsPort}`,
        `  ca: ${dovecot.caFile}`,
        `  password: ${dovecot.password}`,
        'mailboxes:',
        `  - { name: a, user: ${users.a} }`,
        `  - { name: b, user: ${users.b} }`,
        '',
      ].join('\n'),
    );
    const url = testDatabaseUrl('postgres');
    const digestAt = new Date(Math.ceil((Date.now() + 20_000) / 1000) * 1000);
    const env = {
      BOUNCED_CONFIG: config,
      BOUNCED_DATABASE_URL: url,
      BOUNCED_LOG_LEVEL: 'info',
      // Every second: a mailbox whose replica died is taken over at the next tick.
      BOUNCED_SCAN_SCHEDULE: '* * * * * *',
      BOUNCED_DIGEST_SCHEDULE: onceAt(digestAt),
      BOUNCED_DIGEST_SEND_EMPTY: 'true',
      ...smtpEnvFor(sink),
    };
    const digestsBefore = sink.received.length;

    // The first replica alone, one message a batch: it holds both mailboxes for a while.
    const first = startCli(['run'], { ...env, BOUNCED_SCAN_BATCH_SIZE: '1' });
    const batches = () =>
      first
        .stderr()
        .split('\n')
        .filter((l) => l.includes('"msg":"batch done"')).length;
    await until('the first replica is scanning', () => batches() > 20);
    const others = [startCli(['run'], env), startCli(['run'], env)];
    try {
      await until('the others are up', () =>
        others.every((o) => o.stderr().includes('"msg":"daemon started"')),
      );
      // The others find both mailboxes taken while the first one scans them.
      await until('the others saw the mailboxes taken', () =>
        others.some((o) => o.stderr().includes('scanned by another process')),
      );
      const done = async () =>
        Number((await sqlOn(url, 'select count(*) as n from processed_messages'))[0]!.n);
      expect(await done()).toBeLessThan(N);
      first.child.kill('SIGKILL');
      await first.exit;
      const killedAt = Date.now();

      await until(
        'both mailboxes are done',
        () =>
          readFolder(dovecot, users.a, 'INBOX').length === 0 &&
          readFolder(dovecot, users.b, 'INBOX').length === 0,
      );
      const handover = Date.now() - killedAt;
      await until(
        'every message is recorded as moved',
        async () =>
          Number(
            (await sqlOn(url, 'select count(*) as n from processed_messages where moved_at is not null'))[0]!
              .n,
          ) ===
          2 * N,
      );
      // The digest falls due once; both survivors' schedules fire; one sends it.
      await until(
        'the digest is sent',
        () => sink.received.length > digestsBefore,
        Math.max(5_000, digestAt.getTime() - Date.now() + 15_000),
      );
      await sleep(3_000);
      console.log(`handover: all ${2 * N} messages done ${handover} ms after the SIGKILL`);
    } finally {
      for (const o of others) o.child.kill('SIGTERM');
    }
    for (const o of others) expect(await o.exit).toBe(0);

    // Every message counted exactly once: one row, one event, one suppression each.
    const one = async (query: string) => Number((await sqlOn(url, query))[0]!.n);
    expect(await one('select count(*) as n from processed_messages')).toBe(2 * N);
    expect(await one("select count(*) as n from processed_messages where outcome = 'bounce'")).toBe(2 * N);
    expect(await one('select count(distinct message_id) as n from processed_messages')).toBe(2 * N);
    expect(await one('select count(*) as n from bounce_events')).toBe(2 * N);
    expect(await one('select count(distinct address) as n from bounce_events')).toBe(2 * N);
    expect(await one('select count(*) as n from suppressions where active = 1 and bounce_count = 1')).toBe(
      2 * N,
    );
    expect(readFolder(dovecot, users.a, 'Processed')).toHaveLength(N);
    expect(readFolder(dovecot, users.b, 'Processed')).toHaveLength(N);
    // The killed replica's scans were found and marked by the replicas that took over.
    expect(
      await one("select count(*) as n from scan_runs where outcome = 'interrupted'"),
    ).toBeGreaterThanOrEqual(1);
    expect(await one("select count(*) as n from scan_runs where outcome = 'running'")).toBe(0);

    // Exactly one digest.
    const digests = sink.received
      .slice(digestsBefore)
      .filter((m) => m.raw.toString().includes('Subject: bounced digest'));
    expect(digests).toHaveLength(1);
    expect(await one("select count(*) as n from digests where outcome = 'sent'")).toBe(1);
    const skipped = others.filter((o) =>
      o.stderr().includes('digest of this period is sent by another replica'),
    );
    expect(skipped).toHaveLength(1);
  }, 120_000);
});
