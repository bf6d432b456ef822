import { existsSync } from 'node:fs';
import { ImapFlow } from 'imapflow';
import { afterEach, describe, expect, inject, it } from 'vitest';
import { ImapMailbox } from '../../src/mailbox/imap-mailbox.ts';
import { MailboxError } from '../../src/mailbox/mailbox.ts';
import { type App, scanOnce } from '../../src/main.ts';
import { configFor, openTestApp, silentLogger, tableCounts } from '../helpers/app.ts';
import { freshUser, readFolder, seedMaildir } from '../helpers/maildir.ts';
import { makeDsn, makeOrdinaryMail } from '../helpers/messages.ts';

const dovecot = inject('dovecot');
const legacy = inject('legacyDovecot');
const apps: App[] = [];
afterEach(async () => {
  while (apps.length) await apps.pop()!.close();
});

async function scanError(extra: Record<string, string>, server = dovecot): Promise<MailboxError> {
  const user = freshUser();
  seedMaildir(server, user, [makeDsn({ recipients: [{ address: 'x@receiver.example', status: '5.1.1' }] })]);
  const app = await openTestApp(configFor(server, user, extra));
  apps.push(app);
  const err = await scanOnce(app).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(MailboxError);
  // Nothing was recorded and nothing left the inbox.
  expect(await tableCounts(app)).toMatchObject({ processed_messages: 0, bounce_events: 0 });
  expect(readFolder(server, user, 'INBOX')).toHaveLength(1);
  return err as MailboxError;
}

describe('connecting to the mailbox', () => {
  it('reports a wrong password clearly, without the password', async () => {
    const err = await scanError({ BOUNCED_IMAP_PASSWORD: 'wrong-password' });
    expect(err.code).toBe('EAUTH');
    expect(err.message).toMatch(/IMAP login to 127\.0\.0\.1:\d+ as \S+ was refused: wrong user or password/);
    expect(err.message).not.toContain('wrong-password');
  });

  it('refuses a certificate it cannot verify unless told otherwise', async () => {
    const err = await scanError({ BOUNCED_IMAP_CA: '/dev/null' });
    expect(err.code).toBe('ETLS');
    expect(err.message).toContain('certificate not trusted');
  });

  it('connects with STARTTLS on the plain port when the server offers it', async () => {
    const user = freshUser();
    seedMaildir(dovecot, user, [
      makeDsn({ recipients: [{ address: 'x@receiver.example', status: '5.1.1' }] }),
    ]);
    const app = await openTestApp(
      configFor(dovecot, user, { BOUNCED_IMAP_TLS: 'starttls', BOUNCED_IMAP_PORT: String(dovecot.port) }),
    );
    apps.push(app);
    expect(await scanOnce(app)).toMatchObject({ seen: 1, bounces: 1 });
  });

  it('refuses plaintext when STARTTLS is required and the server does not offer it', async () => {
    const err = await scanError({ BOUNCED_IMAP_TLS: 'starttls' }, legacy);
    expect(err.code).toBe('ENOSTARTTLS');
    expect(err.message).toContain('refusing to log in over plaintext');
  });

  it('refuses to speak plaintext to a port that expects TLS', async () => {
    const err = await scanError(
      { BOUNCED_IMAP_TLS: 'implicit', BOUNCED_IMAP_PORT: String(legacy.port) },
      legacy,
    );
    expect(['ETLS', 'ECONNECT']).toContain(err.code);
  });

  it('uses plaintext only when imap.tls=none is chosen', async () => {
    const user = freshUser();
    seedMaildir(legacy, user, [
      makeDsn({ recipients: [{ address: 'x@receiver.example', status: '5.1.1' }] }),
    ]);
    const app = await openTestApp(configFor(legacy, user, { BOUNCED_IMAP_TLS: 'none' }));
    apps.push(app);
    expect(await scanOnce(app)).toMatchObject({ seen: 1, bounces: 1 });
  });
});

describe('a server without MOVE', () => {
  it('copies, then expunges exactly the processed UIDs, and leaves other deleted-flagged mail alone', async () => {
    const user = freshUser();
    const dsn = makeDsn({ recipients: [{ address: 'gone@receiver.example', status: '5.1.1' }] });
    const reply = makeOrdinaryMail();
    seedMaildir(legacy, user, [dsn, reply]);
    // Someone else's message, flagged \Deleted but not expunged: a plain EXPUNGE would remove it.
    const [theirs] = seedMaildir(legacy, user, [makeOrdinaryMail('not ours')], 'INBOX', 'T');
    const probe = new ImapFlow({
      host: legacy.host,
      port: legacy.port,
      secure: false,
      logger: false,
      auth: { user, pass: legacy.password },
    });
    await probe.connect();
    expect(probe.capabilities.has('MOVE')).toBe(false);
    await probe.logout();
    const app = await openTestApp(configFor(legacy, user));
    apps.push(app);
    expect(await scanOnce(app)).toMatchObject({ seen: 2, bounces: 1, unrecognized: 1, moved: 2 });
    expect(readFolder(legacy, user, 'INBOX')).toHaveLength(0);
    expect(readFolder(legacy, user, 'Processed')).toEqual([dsn]);
    expect(readFolder(legacy, user, 'Unrecognized')).toEqual([reply]);
    expect((await app.bounces.listSuppressions()).map((s) => s.address)).toEqual(['gone@receiver.example']);
    expect(existsSync(theirs!)).toBe(true);
  });
});

describe('listing a large folder', () => {
  it('in windows of message numbers gives the same UIDs as one SEARCH', async () => {
    const user = freshUser();
    seedMaildir(
      legacy,
      user,
      Array.from({ length: 10 }, (_, i) =>
        makeDsn({ recipients: [{ address: `w${i}@receiver.example`, status: '5.1.1' }] }),
      ),
    );
    // Three deleted-flagged ones are not listed, whichever window they fall in.
    seedMaildir(legacy, user, [makeOrdinaryMail(), makeOrdinaryMail(), makeOrdinaryMail()], 'INBOX', 'T');
    const list = async (listWindow: number) => {
      const mailbox = new ImapMailbox(
        {
          host: legacy.host,
          port: legacy.port,
          tls: 'none',
          tlsVerify: false,
          user,
          password: legacy.password,
          listWindow,
        },
        silentLogger,
      );
      const session = await mailbox.connect();
      try {
        return await (await session.open('INBOX')).listUids();
      } finally {
        await session.close();
      }
    };
    const whole = await list(10_000);
    expect(whole).toHaveLength(10);
    for (const size of [1, 3, 4, 12]) expect(await list(size), `windows of ${size}`).toEqual(whole);
  });
});
