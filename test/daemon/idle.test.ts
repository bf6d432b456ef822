// scan.mode=idle, as installed: `bounced run` waits in IMAP IDLE on a private Dovecot and
// scans when mail is delivered; a TCP proxy in between counts the IDLE commands or cuts the
// watching connection.
import { afterAll, describe, expect, inject, it } from 'vitest';
import { envFor } from '../helpers/app.ts';
import { startCli } from '../helpers/cli.ts';
import { type Dovecot, startDovecot } from '../helpers/dovecot.ts';
import { type FaultProxy, startFaultProxy } from '../helpers/fault-proxy.ts';
import { freshUser, seedMaildir } from '../helpers/maildir.ts';
import { makeDsn } from '../helpers/messages.ts';
import { sqlOn } from '../helpers/store.ts';

const dovecot = inject('legacyDovecot'); // plaintext, so that the proxy sees the commands
const cleanups: (() => Promise<void>)[] = [];
afterAll(async () => {
  for (const c of cleanups) await c();
});

const idleEnv = (port: number, user: string, server: { host: string; password: string } = dovecot) => ({
  ...envFor({ ...dovecot, ...server, port, imapsPort: 0 }, user),
  BOUNCED_SCAN_MODE: 'idle',
  BOUNCED_SCAN_SCHEDULE: '0 0 1 1 *',
  BOUNCED_LOG_LEVEL: 'info',
});

/**
 * Waits until the address is suppressed in the daemon's database; resolves to how long that
 * took. Read with SQL, not `suppressions list`: a CLI process a poll cost over a second on a
 * loaded machine, which the latency measured here then included.
 */
async function suppressedWithin(
  env: Record<string, string>,
  address: string,
  timeoutMs = 15_000,
): Promise<number> {
  const started = Date.now();
  const query = 'SELECT address FROM suppressions WHERE address = ? AND active = 1';
  while (Date.now() - started < timeoutMs) {
    // Before the daemon's first migration there is no table yet: not suppressed.
    const rows = await sqlOn(env.BOUNCED_DATABASE_URL!, query, [address]).catch(() => []);
    if (rows.length) return Date.now() - started;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`${address} was not suppressed within ${timeoutMs} ms`);
}

const count = (text: string, pattern: RegExp) => (text.match(new RegExp(pattern, 'g')) ?? []).length;

async function proxy(fault: Parameters<typeof startFaultProxy>[1]): Promise<FaultProxy> {
  const p = await startFaultProxy({ host: dovecot.host, port: dovecot.port }, fault);
  cleanups.push(() => p.stop());
  return p;
}

describe('scan.mode=idle', () => {
  it('scans mail delivered during IDLE within seconds, and restarts IDLE every idleRefreshSeconds', async () => {
    const idles = await proxy({ on: /IDLE\r\n/, action: 'count' });
    const user = freshUser('idle');
    const env = { ...idleEnv(idles.port, user), BOUNCED_SCAN_IDLE_REFRESH_SECONDS: '1' };
    const daemon = startCli(['run'], env);
    try {
      await daemon.waitFor(/watching for new mail \(IDLE\)/);
      // The scan at start, and the one when the watch begins: the mailbox is read up to now.
      await daemon.waitFor(/"msg":"scan done[\s\S]*"msg":"scan done/);
      seedMaildir(dovecot, user, [
        makeDsn({ recipients: [{ address: 'pushed@receiver.example', status: '5.1.1' }] }),
      ]);
      expect(await suppressedWithin(env, 'pushed@receiver.example')).toBeLessThan(10_000);
      const before = idles.fired();
      await new Promise((r) => setTimeout(r, 3_500));
      // One IDLE a second on the watching connection: ended and begun again each time.
      expect(idles.fired() - before).toBeGreaterThanOrEqual(2);
    } finally {
      daemon.child.kill('SIGTERM');
    }
    expect(await daemon.exit).toBe(0);
  });

  it('reconnects after the connection is cut, and loses nothing delivered meanwhile', async () => {
    const cut = await proxy({ on: /IDLE\r\n/, action: 'cut', times: 1 });
    const user = freshUser('idle-cut');
    const env = idleEnv(cut.port, user);
    const daemon = startCli(['run'], env);
    try {
      await daemon.waitFor(/the IDLE connection was lost; reconnecting/);
      // Delivered while nobody watches.
      seedMaildir(dovecot, user, [
        makeDsn({ recipients: [{ address: 'while-away@receiver.example', status: '5.1.1' }] }),
      ]);
      await suppressedWithin(env, 'while-away@receiver.example');
      // (It may be read by a scan already due before the watch is back: nothing waits on it.)
      await daemon.waitFor(/watching for new mail[\s\S]*watching for new mail/);
      expect(count(daemon.stderr(), /watching for new mail/)).toBe(2);
      // And the new connection is watching.
      seedMaildir(dovecot, user, [
        makeDsn({ recipients: [{ address: 'after@receiver.example', status: '5.1.1' }] }),
      ]);
      expect(await suppressedWithin(env, 'after@receiver.example')).toBeLessThan(10_000);
      expect(cut.fired()).toBe(1);
      expect(daemon.stderr()).toMatch(/"retryInMs":\d+/);
    } finally {
      daemon.child.kill('SIGTERM');
    }
    expect(await daemon.exit).toBe(0);
  });

  it('falls back to scanning on scan.schedule when the server has no IDLE', async () => {
    const noIdle: Dovecot = await startDovecot({
      tls: false,
      capabilities:
        'IMAP4rev1 SASL-IR LOGIN-REFERRALS ID ENABLE SORT NAMESPACE UIDPLUS CHILDREN CONDSTORE MOVE',
    });
    cleanups.push(() => noIdle.stop());
    const user = freshUser('no-idle');
    const env = { ...idleEnv(noIdle.port, user, noIdle), BOUNCED_SCAN_SCHEDULE: '*/2 * * * * *' };
    const daemon = startCli(['run'], env);
    try {
      await daemon.waitFor(/no IMAP IDLE: scanning on scan.schedule instead/);
      seedMaildir(noIdle, user, [
        makeDsn({ recipients: [{ address: 'polled@receiver.example', status: '5.1.1' }] }),
      ]);
      await suppressedWithin(env, 'polled@receiver.example');
      expect(daemon.stderr()).not.toContain('watching for new mail');
    } finally {
      daemon.child.kill('SIGTERM');
    }
    expect(await daemon.exit).toBe(0);
  });
});
