// What the scan tests need of an IMAP server other than the shared Dovecot (Cyrus,
// Courier): where it listens, how to add a user, and IMAP itself to seed and read folders.
import type { ChildProcess } from 'node:child_process';
import { connect } from 'node:net';
import { ImapFlow } from 'imapflow';

/** Where scripts/ensure-test-deps.sh unpacks the Cyrus and Courier server packages. */
export const SERVER_PACKAGES = process.env.BOUNCED_TEST_SERVERS ?? '/var/cache/bounced-test/imap-servers';

export interface ImapServerInfo {
  readonly kind: string;
  readonly host: string;
  readonly port: number;
  readonly password: string;
  /** Creates a user with `password` (and, where the server needs it, its INBOX). */
  addUser(user: string): void | Promise<void>;
}

/** Where to log in: any IMAP server of the tests, the shared Dovecots included. */
export type ImapLogin = Pick<ImapServerInfo, 'host' | 'port' | 'password'>;

async function withClient<T>(server: ImapLogin, user: string, fn: (c: ImapFlow) => Promise<T>): Promise<T> {
  const client = new ImapFlow({
    host: server.host,
    port: server.port,
    secure: false,
    auth: { user, pass: server.password },
    logger: false,
  });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.logout().catch(() => client.close());
  }
}

/** Delivers messages into a folder by IMAP APPEND, as a server's own delivery would. */
export function appendMessages(
  server: ImapLogin,
  user: string,
  messages: readonly Buffer[],
  folder = 'INBOX',
) {
  return withClient(server, user, async (c) => {
    // On the wire a message has CRLF line ends (RFC 5322 §2.3); Cyrus refuses bare LFs, as
    // its LMTP delivery would have converted them.
    for (const m of messages)
      await c.append(folder, Buffer.from(m.toString('latin1').replace(/\r?\n/g, '\r\n'), 'latin1'));
  });
}

/** The folders as the server lists them, sorted. */
export function folderList(server: ImapLogin, user: string): Promise<string[]> {
  return withClient(server, user, async (c) => (await c.list()).map((f) => f.path).sort());
}

/** How many messages a folder holds, not counting ones flagged \Deleted. */
export function messageCount(server: ImapLogin, user: string, folder: string): Promise<number> {
  return withClient(server, user, async (c) => {
    await c.mailboxOpen(folder, { readOnly: true });
    const uids = await c.search({ deleted: false }, { uid: true });
    return uids ? uids.length : 0;
  });
}

/** Resolves once the server on PORT greets with "* OK"; fails when CHILD exits first. */
export async function waitForGreeting(port: number, child: ChildProcess, name: string): Promise<void> {
  const deadline = Date.now() + 15_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`${name} exited ${child.exitCode}`);
    const ok = await new Promise<boolean>((r) => {
      const socket = connect(port, '127.0.0.1');
      socket.once('data', (d) => {
        socket.destroy();
        r(d.toString().startsWith('* OK'));
      });
      socket.once('error', () => r(false));
    });
    if (ok) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`${name} did not greet on port ${port} within 15 s`);
}
