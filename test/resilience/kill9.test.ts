import { describe, expect, inject, it } from 'vitest';
import { envFor } from '../helpers/app.ts';
import { runCliAsync, startCli } from '../helpers/cli.ts';
import { type Fault, startFaultProxy } from '../helpers/fault-proxy.ts';
import { freshUser, readFolder, seedMaildir } from '../helpers/maildir.ts';
import { makeDsn, makeOrdinaryMail } from '../helpers/messages.ts';
import { sqlOn } from '../helpers/store.ts';

const dovecot = inject('dovecot');

function mailbox(n: number): Buffer[] {
  return Array.from({ length: n }, (_, i) =>
    i % 10 === 9
      ? makeOrdinaryMail(`Re: invoice ${i}`)
      : makeDsn({
          messageId: `dsn-${i}@mx.sender.example`,
          recipients: [
            { address: `r${i}@receiver.example`, status: i % 3 ? '5.1.1' : '4.2.2', action: 'failed' },
          ],
        }),
  );
}

interface Outcome {
  processed: number;
  notMoved: number;
  running: number;
  events: string[];
  suppressions: string[];
}

async function outcomeOf(url: string): Promise<Outcome> {
  const n = async (query: string) => Number((await sqlOn(url, query))[0]!.n);
  return {
    processed: await n('select count(*) as n from processed_messages'),
    notMoved: await n('select count(*) as n from processed_messages where moved_at is null'),
    running: await n("select count(*) as n from scan_runs where outcome = 'running'"),
    events: (await sqlOn(url, 'select address, reason, hard from bounce_events order by address')).map(
      (e) => `${e.address} ${e.reason} ${e.hard}`,
    ),
    suppressions: (await sqlOn(url, 'select address from suppressions order by address')).map((s) =>
      String(s.address),
    ),
  };
}

// `npm run soak` runs the same with more messages and kills (KILL_MESSAGES, KILL_COUNT).
const N = Number(process.env.KILL_MESSAGES ?? 2000);
const KILLS = Number(process.env.KILL_COUNT ?? 20);

describe('kill -9 at random moments', () => {
  it(`loses nothing, counts nothing twice and misses nothing against a clean run (${N} messages, ${KILLS} kills)`, async () => {
    const messages = mailbox(N);
    const reference = freshUser('ref');
    const victim = freshUser('kill');
    seedMaildir(dovecot, reference, messages);
    seedMaildir(dovecot, victim, messages);
    const settings = { BOUNCED_SCAN_BATCH_SIZE: '50' };
    const refEnv = envFor(dovecot, reference, settings);
    const env = envFor(dovecot, victim, settings);

    expect((await runCliAsync(['scan', '--once'], refEnv)).code).toBe(0);

    // A seed printed on failure replays the same kill times.
    const seed = Number(process.env.KILL_SEED ?? Date.now() % 100_000);
    let state = seed;
    const random = () => (state = (state * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    let kills = 0;
    // A scan that ends before its kill time is not a kill: another one starts, and the kill
    // times are drawn from within that scan's run from then on (on a fast machine a scan of
    // what is left, or of nothing, ends in less than the longest delay, 750 ms).
    let longest = 750;
    for (let tries = 0; kills < KILLS && tries < 3 * KILLS; tries++) {
      const started = Date.now();
      const child = startCli(['scan', '--once'], env);
      let ran: number | undefined;
      child.child.once('exit', () => (ran = Date.now() - started));
      // The first kill lands in the first start (migrations, login); the others anywhere.
      const delay = tries === 0 ? 40 + random() * 150 : 150 + random() * (longest - 150);
      await new Promise((r) => setTimeout(r, delay));
      const killed = child.child.kill('SIGKILL');
      if (killed) kills++;
      await child.exit;
      if (!killed) longest = Math.max(200, Math.min(longest, ran!));
    }
    expect(kills, `seed ${seed}`).toBe(KILLS);
    const last = await runCliAsync(['scan', '--once'], env);
    expect(last.code, `seed ${seed}: ${last.stderr}`).toBe(0);

    const got = await outcomeOf(env.BOUNCED_DATABASE_URL!);
    const want = await outcomeOf(refEnv.BOUNCED_DATABASE_URL!);
    expect(got.processed, `seed ${seed}`).toBe(N);
    expect(got.events, `seed ${seed}`).toEqual(want.events); // none lost, none doubled
    expect(got.suppressions, `seed ${seed}`).toEqual(want.suppressions);
    // The bookkeeping of the killed runs is reconciled.
    expect(got.notMoved, `seed ${seed}`).toBe(0);
    expect(got.running, `seed ${seed}`).toBe(0);
    expect(readFolder(dovecot, victim, 'INBOX')).toHaveLength(0);
    expect(
      readFolder(dovecot, victim, 'Processed').length + readFolder(dovecot, victim, 'Unrecognized').length,
    ).toBe(N);
  }, 600_000);
});

describe('two scans at once', () => {
  it('the second exits 75 at once, naming the mailbox and the pid of the first', async () => {
    const user = freshUser();
    seedMaildir(dovecot, user, mailbox(30));
    const env = envFor(dovecot, user, {
      BOUNCED_IMAP_TLS: 'none',
      BOUNCED_IMAP_PORT: String(dovecot.port),
      BOUNCED_IMAP_TIMEOUT_SECONDS: '5',
    });
    // The first scan stalls in FETCH, holding the lock.
    const stall: Fault = { on: /UID FETCH/, action: 'stall', afterBytes: 200 };
    const proxy = await startFaultProxy({ host: dovecot.host, port: dovecot.port }, stall);
    try {
      const first = startCli(['scan', '--once'], { ...env, BOUNCED_IMAP_PORT: String(proxy.port) });
      while (proxy.fired() === 0) await new Promise((r) => setTimeout(r, 50));
      const second = await runCliAsync(['scan', '--once'], env);
      expect(second.code, second.stderr).toBe(75);
      expect(second.stderr.trim()).toBe(
        `bounced: another scan of mailbox default is running (pid ${first.child.pid})`,
      );
      expect(await first.exit).toBe(69);
    } finally {
      await proxy.stop();
    }
    // The lock went with the first scan: the next one runs.
    expect((await runCliAsync(['scan', '--once'], env)).code).toBe(0);
  });
});
