// The scan against IMAP servers other than Dovecot, started privately on loopback: Cyrus
// (personal folders under INBOX., CREATE of an existing folder answered "Mailbox already
// exists" without RFC 5530's code), the same Cyrus without MOVE, and Courier (INBOX.
// always, no MOVE: the COPY + UID EXPUNGE path; "Cannot create this folder."). Each scan
// runs as the installed CLI does.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.ts';
import { courierAvailable, startCourier } from '../helpers/courier.ts';
import { cyrusAvailable, startCyrus } from '../helpers/cyrus.ts';
import { appendMessages, folderList, type ImapServerInfo, messageCount } from '../helpers/imap-server.ts';
import { freshUser } from '../helpers/maildir.ts';
import { makeDsn, makeOrdinaryMail } from '../helpers/messages.ts';
import { testDatabaseUrl } from '../helpers/store.ts';
import { spawnSync } from 'node:child_process';

interface Running extends ImapServerInfo {
  stop(): Promise<void>;
}

const servers: { name: string; available: () => boolean; start: () => Promise<Running> }[] = [
  { name: 'Cyrus IMAP 3.6', available: cyrusAvailable, start: () => startCyrus() },
  {
    name: 'Cyrus IMAP 3.6 without MOVE',
    available: cyrusAvailable,
    start: () => startCyrus({ suppress: 'MOVE' }),
  },
  { name: 'Courier-IMAP 5.0', available: courierAvailable, start: () => startCourier() },
];

function envFor(server: ImapServerInfo, user: string): Record<string, string> {
  return {
    BOUNCED_IMAP_HOST: server.host,
    BOUNCED_IMAP_PORT: String(server.port),
    BOUNCED_IMAP_TLS: 'none',
    BOUNCED_IMAP_USER: user,
    BOUNCED_IMAP_PASSWORD: server.password,
    BOUNCED_DATABASE_URL: testDatabaseUrl(),
    BOUNCED_LOG_LEVEL: 'info',
  };
}

describe.each(servers)('a scan on $name', ({ name, available, start }) => {
  let server: Running;
  beforeAll(async () => {
    if (!available()) throw new Error(`${name} is not installed: run scripts/ensure-test-deps.sh as root`);
    server = await start();
  });
  afterAll(async () => {
    await server?.stop();
  });

  it('files into INBOX.Processed and INBOX.Unrecognized, scan after scan, counting each message once', async () => {
    const user = freshUser('srv');
    await server.addUser(user);
    const env = envFor(server, user);
    await appendMessages(server, user, [
      makeDsn({ recipients: [{ address: 'gone@receiver.example', status: '5.1.1' }] }),
      makeDsn({ recipients: [{ address: 'full@receiver.example', status: '4.2.2', action: 'delayed' }] }),
      makeOrdinaryMail(),
    ]);
    const first = runCli(['scan', '--once', '--quiet'], env);
    expect(first.code, first.stderr).toBe(0);
    expect(first.stderr).toContain('"resolved":"INBOX.Processed"');
    expect(await folderList(server, user)).toEqual(['INBOX', 'INBOX.Processed', 'INBOX.Unrecognized']);
    expect(await messageCount(server, user, 'INBOX')).toBe(0);
    expect(await messageCount(server, user, 'INBOX.Processed')).toBe(2);
    expect(await messageCount(server, user, 'INBOX.Unrecognized')).toBe(1);

    // The second scan: the folders exist as INBOX.*, and CREATE would be refused.
    await appendMessages(server, user, [
      makeDsn({ recipients: [{ address: 'later@receiver.example', status: '5.1.1' }] }),
    ]);
    const second = runCli(['scan', '--once', '--quiet'], env);
    expect(second.code, second.stderr).toBe(0);
    expect(await messageCount(server, user, 'INBOX')).toBe(0);
    expect(await messageCount(server, user, 'INBOX.Processed')).toBe(3);

    const list = runCli(['suppressions', 'list', '--json'], env);
    expect(
      list.stdout
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l).address),
    ).toEqual(['gone@receiver.example', 'later@receiver.example']);
    const third = runCli(['scan', '--once', '--quiet'], env);
    expect(third.code, third.stderr).toBe(0);
    expect(JSON.parse(runCli(['health'], env).stdout)).toMatchObject({
      ok: true,
      folders: { folder: 'INBOX', processed: 'INBOX.Processed', review: 'INBOX.Unrecognized' },
    });
  });

  it('counts nothing twice when killed between a commit and its move', async () => {
    const user = freshUser('srv-kill');
    await server.addUser(user);
    const env = envFor(server, user);
    await appendMessages(
      server,
      user,
      Array.from({ length: 5 }, (_, i) =>
        makeDsn({ recipients: [{ address: `gone${i}@receiver.example`, status: '5.1.1' }] }),
      ),
    );
    const crashed = spawnSync(process.execPath, ['--import', 'tsx', 'test/helpers/crash-after-commit.ts'], {
      env: { ...process.env, ...env },
      encoding: 'utf8',
    });
    expect(crashed.signal, crashed.stderr).toBe('SIGKILL');
    expect(await messageCount(server, user, 'INBOX')).toBe(5); // committed, not moved

    const again = runCli(['scan', '--once', '--quiet'], env);
    expect(again.code, again.stderr).toBe(0);
    expect(again.stderr).toMatch(/"seen":0,"bounces":0,"unrecognized":0,"moved":5/);
    expect(await messageCount(server, user, 'INBOX')).toBe(0);
    expect(await messageCount(server, user, 'INBOX.Processed')).toBe(5);
    const list = runCli(['suppressions', 'list', '--json'], env).stdout.trim().split('\n');
    expect(list.map((l) => JSON.parse(l).bounceCount)).toEqual([1, 1, 1, 1, 1]);
  });
});
