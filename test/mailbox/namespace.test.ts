// A server whose personal folders live under "INBOX." (Courier always, Cyrus in its standard
// namespace, many hosted mailboxes): Dovecot set up that way, `* NAMESPACE (("INBOX." "."))`.
import { describe, expect, inject, it } from 'vitest';
import { envFor } from '../helpers/app.ts';
import { runCli } from '../helpers/cli.ts';
import { folderList } from '../helpers/imap-server.ts';
import { freshUser, readFolder, seedMaildir } from '../helpers/maildir.ts';
import { makeDsn, makeOrdinaryMail } from '../helpers/messages.ts';

const server = inject('prefixedDovecot');

describe('folders in the INBOX. personal namespace', () => {
  it('creates INBOX.Processed once, files into it on every scan, and says so in the log and in health', async () => {
    const user = freshUser('ns');
    const env = { ...envFor(server, user), BOUNCED_LOG_LEVEL: 'info' };
    seedMaildir(server, user, [
      makeDsn({ recipients: [{ address: 'gone@receiver.example', status: '5.1.1' }] }),
      makeOrdinaryMail(),
    ]);
    const first = runCli(['scan', '--once', '--quiet'], env);
    expect(first.code, first.stderr).toBe(0);
    expect(first.stderr).toContain('"folder":"Processed","resolved":"INBOX.Processed"');
    expect(await folderList(server, user)).toEqual(['INBOX', 'INBOX.Processed', 'INBOX.Unrecognized']);

    seedMaildir(server, user, [
      makeDsn({ recipients: [{ address: 'later@receiver.example', status: '5.1.1' }] }),
    ]);
    const second = runCli(['scan', '--once', '--quiet'], env);
    expect(second.code, second.stderr).toBe(0);
    expect(second.stderr).not.toContain('created folder');
    // Maildir++ keeps INBOX.Processed in .Processed: both bounces are there, the letter for review.
    expect(readFolder(server, user, 'Processed')).toHaveLength(2);
    expect(readFolder(server, user, 'Unrecognized')).toHaveLength(1);
    expect(readFolder(server, user, 'INBOX')).toHaveLength(0);
    expect(await folderList(server, user)).toEqual(['INBOX', 'INBOX.Processed', 'INBOX.Unrecognized']);

    const health = runCli(['health'], env);
    expect(JSON.parse(health.stdout)).toMatchObject({
      ok: true,
      folders: { folder: 'INBOX', processed: 'INBOX.Processed', review: 'INBOX.Unrecognized' },
    });
  });

  it('takes a folder configured with its full name as it is', () => {
    const user = freshUser('ns-full');
    const env = { ...envFor(server, user), BOUNCED_IMAP_PROCESSED_FOLDER: 'INBOX.Bounces' };
    seedMaildir(server, user, [
      makeDsn({ recipients: [{ address: 'gone@receiver.example', status: '5.1.1' }] }),
    ]);
    for (let i = 0; i < 2; i++) expect(runCli(['scan', '--once', '--quiet'], env).code).toBe(0);
    expect(readFolder(server, user, 'Bounces')).toHaveLength(1);
  });
});
