// Several mailboxes in one `bounced run` and one `bounced scan`, against a private Dovecot:
// each keeps its own state, records where its reports came from, and one failing (a wrong
// password) stops no other, and shows in the logs, `health`, the metrics and the digest.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { envFor } from '../helpers/app.ts';
import { runCli, runCliAsync, startCli } from '../helpers/cli.ts';
import type { DovecotInfo } from '../helpers/dovecot.ts';
import { readFolder, freshUser, seedMaildir } from '../helpers/maildir.ts';
import { makeDsn } from '../helpers/messages.ts';
import { type SmtpSink, smtpEnvFor, startSmtpSink } from '../helpers/smtp-sink.ts';

const dovecot = inject('dovecot');
const TOKEN = 'mailboxes-token-0123456789';
const WRONG = 'Wr0ng-passw0rd-x';
let sink: SmtpSink;

beforeAll(async () => {
  sink = await startSmtpSink();
});
afterAll(async () => {
  await sink?.stop();
});

/** A config file with three mailboxes on the test server: eu and asia log in, us cannot. */
function threeMailboxes(info: DovecotInfo, users: { eu: string; us: string; asia: string }): string {
  const dir = mkdtempSync(join(tmpdir(), 'bounced-mailboxes-'));
  writeFileSync(join(dir, 'eu-password'), `${info.password}\n`);
  writeFileSync(join(dir, 'us-password'), `${WRONG}\n`);
  const file = join(dir, 'bounced.yaml');
  writeFileSync(
    file,
    [
      'imap:',
      `  host: ${info.host}`,
      `  port: ${info.imapsPort}`,
      '  tls: implicit',
      `  ca: ${info.caFile}`,
      'mailboxes:',
      '  - name: eu',
      `    user: ${users.eu}`,
      `    passwordFile: ${join(dir, 'eu-password')}`,
      '  - name: us',
      `    user: ${users.us}`,
      `    passwordFile: ${join(dir, 'us-password')}`,
      // asia's password comes from BOUNCED_MAILBOX_ASIA_PASSWORD.
      '  - name: asia',
      `    user: ${users.asia}`,
      '',
    ].join('\n'),
  );
  return file;
}

function setUp(tag: string) {
  const users = { eu: freshUser(`${tag}-eu`), us: freshUser(`${tag}-us`), asia: freshUser(`${tag}-asia`) };
  // Each INBOX's first message has UID 1: the two mailboxes' states must not collide.
  seedMaildir(dovecot, users.eu, [
    makeDsn({ recipients: [{ address: 'gone@eu.example', status: '5.1.1' }] }),
  ]);
  seedMaildir(dovecot, users.us, [
    makeDsn({ recipients: [{ address: 'gone@us.example', status: '5.1.1' }] }),
  ]);
  seedMaildir(dovecot, users.asia, [
    makeDsn({ recipients: [{ address: 'gone@asia.example', status: '5.1.1' }] }),
  ]);
  const { BOUNCED_DATABASE_URL } = envFor(dovecot, users.eu);
  const env = {
    BOUNCED_CONFIG: threeMailboxes(dovecot, users),
    BOUNCED_DATABASE_URL: BOUNCED_DATABASE_URL!,
    BOUNCED_MAILBOX_ASIA_PASSWORD: dovecot.password,
    BOUNCED_LOG_LEVEL: 'info',
  };
  return { users, env };
}

describe('several mailboxes', () => {
  it('bounced run scans each; the one that cannot log in is in the logs, health, the metrics and the digest', async () => {
    const { users, env } = setUp('run');
    const daemon = startCli(['run'], {
      ...env,
      ...smtpEnvFor(sink),
      BOUNCED_HTTP_LISTEN: '127.0.0.1:0',
      BOUNCED_HTTP_TOKEN: TOKEN,
      BOUNCED_SCAN_SCHEDULE: '0 0 1 1 *',
      BOUNCED_DIGEST_SCHEDULE: '*/2 * * * * *',
    });
    try {
      await daemon.waitFor(/"msg":"HTTP API listening"/);
      const port = Number(/"port":(\d+),"msg":"HTTP API listening"/.exec(daemon.stderr())![1]);
      await daemon.waitFor(/"mailbox":"us".*"msg":"job failed"|"job":"scan:us".*"msg":"job failed"/);
      const scansDone = () =>
        daemon
          .stderr()
          .split('\n')
          .filter((l) => l.includes('"msg":"scan done"'));
      while (scansDone().length < 2) await new Promise((r) => setTimeout(r, 50));
      expect(scansDone().some((l) => l.includes('"mailbox":"eu"'))).toBe(true);
      expect(scansDone().some((l) => l.includes('"mailbox":"asia"'))).toBe(true);
      const failure = daemon
        .stderr()
        .split('\n')
        .find((l) => l.includes('"job":"scan:us"') && l.includes('job failed'));
      expect(failure).toMatch(/authentication|login/i);
      const digestWith = () =>
        sink.received.find((m) => m.raw.toString().includes('MAILBOXES FAILING: 1'))?.raw.toString();
      while (!digestWith()) await new Promise((r) => setTimeout(r, 100));
      const digest = digestWith()!;
      // A digest every 2 s: the first with the failure may come before or between the scans.
      expect(digest).toMatch(/Subject: bounced digest: 1 mailbox failing, \d+ new suppressions?,/);
      expect(digest).toMatch(/ {2}us (=C2=B7|·) failing since/);
      // The API: each suppression and event says the mailbox it came from.
      const auth = { authorization: `Bearer ${TOKEN}` };
      const eu = await (
        await fetch(`http://127.0.0.1:${port}/v1/suppressions/gone@eu.example`, { headers: auth })
      ).json();
      expect(eu).toMatchObject({ source: 'bounce', mailbox: 'eu' });
      const events = await (
        await fetch(`http://127.0.0.1:${port}/v1/events?address=gone@asia.example`, { headers: auth })
      ).json();
      expect(events).toMatchObject({ events: [{ mailbox: 'asia', reason: 'userunknown' }] });
      expect(
        (await fetch(`http://127.0.0.1:${port}/v1/suppressions/gone@us.example`, { headers: auth })).status,
      ).toBe(404);
      const metrics = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
      expect(metrics).toMatch(/^bounced_imap_connection_failures_total\{mailbox="us"\} [1-9]/m);
      expect(metrics).toMatch(/^bounced_scan_duration_seconds_count\{mailbox="us",outcome="failed"\} [1-9]/m);
      expect(metrics).toContain('bounced_messages_total{outcome="bounce",mailbox="eu"} 1');
      expect(metrics).toContain('bounced_messages_total{outcome="bounce",mailbox="asia"} 1');
      expect(metrics).toMatch(/^bounced_last_successful_scan_age_seconds\{mailbox="asia"\} /m);
      expect(metrics).not.toMatch(/^bounced_last_successful_scan_age_seconds\{mailbox="us"\}/m);
    } finally {
      daemon.child.kill('SIGTERM');
    }
    expect(await daemon.exit).toBe(0);
    expect(daemon.stderr()).not.toContain(WRONG);
    expect(daemon.stderr()).not.toContain(dovecot.password === 'secret' ? '"secret"' : dovecot.password);

    // Both INBOXes were emptied into their own Processed; us was left alone.
    expect(readFolder(dovecot, users.eu, 'Processed')).toHaveLength(1);
    expect(readFolder(dovecot, users.asia, 'Processed')).toHaveLength(1);
    expect(readFolder(dovecot, users.us, 'INBOX')).toHaveLength(1);

    const health = runCli(['health'], env);
    expect(health.code).toBe(1);
    const h = JSON.parse(health.stdout) as {
      ok: boolean;
      problem: string;
      mailboxes: { name: string; ok: boolean; failing?: { error: string } }[];
    };
    expect(h.ok).toBe(false);
    expect(h.mailboxes.map((m) => [m.name, m.ok])).toEqual([
      ['eu', true],
      ['us', false],
      ['asia', true],
    ]);
    expect(h.mailboxes[1]!.failing!.error).toMatch(/authentication|login/i);
    expect(h.problem).toMatch(/^us: no successful scan yet; failing: /);
  });

  it('bounced scan scans every mailbox, goes on past one that fails and exits with its code', async () => {
    const { users, env } = setUp('scan');
    const all = await runCliAsync(['scan', '--quiet'], env);
    expect(all.code).toBe(69);
    expect(all.stderr).toMatch(/^bounced: mailbox us: mailbox error: .*(authentication|login)/im);
    expect(readFolder(dovecot, users.eu, 'Processed')).toHaveLength(1);
    expect(readFolder(dovecot, users.asia, 'Processed')).toHaveLength(1);
    const list = runCli(['suppressions', 'list', '--json'], env);
    expect(
      list.stdout
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l) as { address: string; mailbox: string }),
    ).toEqual([
      expect.objectContaining({ address: 'gone@asia.example', mailbox: 'asia' }),
      expect.objectContaining({ address: 'gone@eu.example', mailbox: 'eu' }),
    ]);

    // One mailbox by name; a name that is not configured is a config error.
    seedMaildir(dovecot, users.eu, [
      makeDsn({ recipients: [{ address: 'again@eu.example', status: '5.1.1' }] }),
    ]);
    expect((await runCliAsync(['scan', '--quiet', '--mailbox', 'eu'], env)).code).toBe(0);
    expect(readFolder(dovecot, users.eu, 'Processed')).toHaveLength(2);
    const none = runCli(['scan', '--mailbox', 'nope'], env);
    expect(none.code).toBe(78);
    expect(none.stderr).toContain('no mailbox named "nope": the config has eu, us, asia');
  });
});
