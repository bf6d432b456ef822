// `bounced run` on PostgreSQL through an outage: the database goes away (a TCP proxy in
// front of it closes), the scans fail and are logged, the daemon keeps running, and once the
// database is back the next scan records what arrived meanwhile.
import { createServer, connect, type Server, type Socket } from 'node:net';
import { describe, expect, inject, it } from 'vitest';
import { envFor } from '../helpers/app.ts';
import { runCliAsync, startCli } from '../helpers/cli.ts';
import { freshUser, seedMaildir } from '../helpers/maildir.ts';
import { makeDsn } from '../helpers/messages.ts';
import { sqlOn, TEST_POSTGRES, testDatabaseUrl } from '../helpers/store.ts';

const dovecot = inject('dovecot');

/** A TCP proxy to PostgreSQL that can be taken down (every connection cut) and brought back. */
async function pgProxy() {
  const target = new URL(TEST_POSTGRES);
  const sockets = new Set<Socket>();
  let server: Server | undefined;
  let port = 0;
  const up = () =>
    new Promise<void>((resolve) => {
      server = createServer((client) => {
        const upstream = connect(Number(target.port || 5432), target.hostname);
        sockets.add(client).add(upstream);
        client.pipe(upstream).pipe(client);
        const drop = () => {
          client.destroy();
          upstream.destroy();
        };
        client.on('error', drop).on('close', drop);
        upstream.on('error', drop).on('close', drop);
      });
      server.listen(port, '127.0.0.1', () => {
        port = (server!.address() as { port: number }).port;
        resolve();
      });
    });
  const down = () =>
    new Promise<void>((resolve) => {
      for (const s of sockets) s.destroy();
      sockets.clear();
      server!.close(() => resolve());
    });
  await up();
  return { port: () => port, up, down };
}

describe('a PostgreSQL outage', () => {
  it('fails the scans while the database is away, keeps running, and catches up when it is back', async () => {
    const user = freshUser('outage');
    const direct = testDatabaseUrl('postgres');
    const proxy = await pgProxy();
    const viaProxy = direct.replace(/127\.0\.0\.1:\d+/, `127.0.0.1:${proxy.port()}`);
    const env = envFor(dovecot, user, {
      BOUNCED_DATABASE_URL: viaProxy,
      BOUNCED_LOG_LEVEL: 'info',
      BOUNCED_SCAN_SCHEDULE: '* * * * * *',
    });
    expect((await runCliAsync(['migrate'], env)).code).toBe(0);
    seedMaildir(dovecot, user, [
      makeDsn({ recipients: [{ address: 'before@receiver.example', status: '5.1.1' }] }),
    ]);
    const daemon = startCli(['run'], env);
    try {
      await daemon.waitFor(/"bounces":1[^\n]*"msg":"scan done"/);
      await proxy.down();
      seedMaildir(dovecot, user, [
        makeDsn({ recipients: [{ address: 'during@receiver.example', status: '5.1.1' }] }),
      ]);
      await daemon.waitFor(
        /"err":"PostgreSQL refused the connection \(is it running, on that host and port\?\) \(ECONNREFUSED\)","msg":"job failed"/,
      );
      expect(daemon.child.exitCode).toBeNull();
      const failedAt = daemon.stderr().length;
      await proxy.up();
      const deadline = Date.now() + 20_000;
      while (!/"bounces":1[^\n]*"msg":"scan done"/.test(daemon.stderr().slice(failedAt))) {
        if (Date.now() > deadline)
          throw new Error(`no scan after the outage:\n${daemon.stderr().slice(failedAt)}`);
        await new Promise((r) => setTimeout(r, 100));
      }
    } finally {
      daemon.child.kill('SIGTERM');
    }
    expect(await daemon.exit).toBe(0);
    const rows = await sqlOn(direct, 'select address from suppressions order by address');
    expect(rows.map((r) => r.address)).toEqual(['before@receiver.example', 'during@receiver.example']);
    await proxy.down();
  });
});
