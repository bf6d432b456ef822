import { describe, expect, inject, it } from 'vitest';
import { envFor } from '../helpers/app.ts';
import { runCliAsync, startCli } from '../helpers/cli.ts';
import { type Fault, startFaultProxy } from '../helpers/fault-proxy.ts';
import { freshUser, readFolder, seedMaildir } from '../helpers/maildir.ts';
import { makeDsn } from '../helpers/messages.ts';
import { sqlOn } from '../helpers/store.ts';

const dovecot = inject('dovecot');
const N = 25;

// Each IMAP phase cut or stalled by a proxy between bounced and Dovecot: the scan fails with
// exit 69 and one line naming the phase, and the next scan completes with nothing lost or
// counted twice.
const FAULTS: [phase: string, fault: Fault, says: RegExp][] = [
  ['login', { on: /AUTHENTICATE|LOGIN/i, action: 'cut' }, /IMAP server|connect/i],
  ['SELECT', { on: /SELECT|EXAMINE/, action: 'cut' }, /lost during SELECT|cannot open folder/],
  ['SEARCH', { on: /UID SEARCH/, action: 'cut' }, /lost during UID SEARCH/],
  ['FETCH', { on: /UID FETCH/, action: 'cut', afterBytes: 3000 }, /lost during UID FETCH/],
  ['MOVE', { on: /UID MOVE/, action: 'cut' }, /lost during UID MOVE/],
  ['FETCH stalled', { on: /UID FETCH/, action: 'stall', afterBytes: 500 }, /lost during UID FETCH|timeout/i],
];

describe('an IMAP connection that fails in each phase', () => {
  it.each(FAULTS)('%s: exit 69, one line, and the next scan completes', async (phase, fault, says) => {
    const user = freshUser();
    seedMaildir(
      dovecot,
      user,
      Array.from({ length: N }, (_, i) =>
        makeDsn({ recipients: [{ address: `r${i}@receiver.example`, status: '5.1.1' }] }),
      ),
    );
    const direct = envFor(dovecot, user, {
      BOUNCED_IMAP_TLS: 'none',
      BOUNCED_IMAP_PORT: String(dovecot.port),
      BOUNCED_SCAN_BATCH_SIZE: '10',
      BOUNCED_IMAP_TIMEOUT_SECONDS: '5',
    });
    const proxy = await startFaultProxy({ host: dovecot.host, port: dovecot.port }, fault);
    try {
      const started = Date.now();
      const failed = await runCliAsync(['scan', '--once'], {
        ...direct,
        BOUNCED_IMAP_PORT: String(proxy.port),
      });
      expect(proxy.fired(), phase).toBeGreaterThan(0);
      expect(failed.code, failed.stderr).toBe(69);
      const lines = failed.stderr.trim().split('\n');
      expect(lines, failed.stderr).toHaveLength(1);
      expect(lines[0]).toMatch(/^bounced: mailbox error: /);
      expect(lines[0]).toMatch(says);
      expect(failed.stderr).not.toContain('    at ');
      expect(Date.now() - started).toBeLessThan(30_000);
    } finally {
      await proxy.stop();
    }
    const health = await runCliAsync(['health'], direct);
    expect(health.code).toBe(1); // the failed scan is not a good one

    const next = await runCliAsync(['scan', '--once'], direct);
    expect(next.code, next.stderr).toBe(0);
    expect(readFolder(dovecot, user, 'INBOX')).toHaveLength(0);
    expect(readFolder(dovecot, user, 'Processed')).toHaveLength(N);
    const url = direct.BOUNCED_DATABASE_URL!;
    const [counted] = await sqlOn(url, 'select count(*) as n from processed_messages');
    const [events] = await sqlOn(
      url,
      'select count(distinct address) as a, count(*) as n from bounce_events',
    );
    expect(Number(counted!.n)).toBe(N);
    expect({ a: Number(events!.a), n: Number(events!.n) }).toEqual({ a: N, n: N });
    const runs = await sqlOn(url, 'select outcome from scan_runs order by id');
    expect(runs.map((r) => r.outcome)).toEqual(['failed', 'ok']);
  });
});

describe('the daemon and a failing IMAP connection', () => {
  it('logs the failed scan, keeps running, and the next scheduled scan completes', async () => {
    const user = freshUser();
    seedMaildir(
      dovecot,
      user,
      Array.from({ length: 5 }, (_, i) =>
        makeDsn({ recipients: [{ address: `d${i}@receiver.example`, status: '5.1.1' }] }),
      ),
    );
    // The first connection is cut in FETCH; the ones after it are not.
    const proxy = await startFaultProxy(
      { host: dovecot.host, port: dovecot.port },
      { on: /UID FETCH/, action: 'cut', connections: 1 },
    );
    try {
      const env = envFor(dovecot, user, {
        BOUNCED_IMAP_TLS: 'none',
        BOUNCED_IMAP_PORT: String(proxy.port),
        BOUNCED_LOG_LEVEL: 'info',
        BOUNCED_SCAN_SCHEDULE: '* * * * * *',
      });
      const daemon = startCli(['run'], env);
      await daemon.waitFor(/"msg":"job failed"/);
      expect(daemon.stderr()).toMatch(/lost during UID FETCH/);
      await daemon.waitFor(/"bounces":5[^\n]*"msg":"scan done"/);
      expect(daemon.child.exitCode).toBeNull();
      daemon.child.kill('SIGTERM');
      expect(await daemon.exit).toBe(0);
      expect(readFolder(dovecot, user, 'INBOX')).toHaveLength(0);
      expect(readFolder(dovecot, user, 'Processed')).toHaveLength(5);
    } finally {
      await proxy.stop();
    }
  });
});
