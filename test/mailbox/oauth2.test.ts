// imap.auth=oauth2 against real parts: a private Dovecot with its oauth2 passdb, validating
// every token with a local OAuth2 provider (oauth2-mock-server) that issues short-lived
// tokens. bounced runs as installed.
import { chmodSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { envFor } from '../helpers/app.ts';
import { startCli } from '../helpers/cli.ts';
import { type Dovecot, selfSignedCertificate, startDovecot } from '../helpers/dovecot.ts';
import { freshUser, seedMaildir } from '../helpers/maildir.ts';
import { makeDsn } from '../helpers/messages.ts';
import { startTestProvider, type TestProvider } from '../helpers/oauth2-provider.ts';

let provider: TestProvider;
let dovecot: Dovecot;
let currentUser = '';

beforeAll(async () => {
  provider = await startTestProvider(() => currentUser);
  dovecot = await startDovecot({ tls: false, oauth2IntrospectionUrl: `${provider.url}/userinfo` });
});
afterAll(async () => {
  await dovecot?.stop();
  await provider?.stop();
});

const REFRESH_TOKEN = 'refresh-token-of-the-mailbox';

/**
 * The CLI, awaited without blocking this process: the provider runs here, and a spawnSync
 * would keep it from answering the token requests of the very command it waits for.
 */
async function runCli(args: readonly string[], env: Record<string, string>) {
  const cli = startCli(args, env);
  const code = await cli.exit;
  return { code, stdout: cli.stdout(), stderr: cli.stderr() };
}

/** A mailbox logged into with the generic provider's refresh token; no password anywhere. */
const envs = new Map<string, Record<string, string>>();
function oauthEnv(user: string, extra: Record<string, string> = {}): Record<string, string> {
  // One database per mailbox, whichever command asks.
  if (!envs.has(user)) envs.set(user, envFor(dovecot, user));
  const { BOUNCED_IMAP_PASSWORD: _password, ...env } = envs.get(user)!;
  return {
    ...env,
    BOUNCED_IMAP_AUTH: 'oauth2',
    BOUNCED_OAUTH2_PROVIDER: 'generic',
    BOUNCED_OAUTH2_TOKEN_URL: `${provider.url}/token`,
    BOUNCED_OAUTH2_CLIENT_ID: 'bounced-test',
    BOUNCED_OAUTH2_CLIENT_SECRET: 'client-secret-value',
    BOUNCED_OAUTH2_REFRESH_TOKEN: REFRESH_TOKEN,
    ...extra,
  };
}

/** Waits until the condition holds (counted, not matched by one regex over the whole log). */
async function until(condition: () => boolean, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

function newMailbox(prefix: string): string {
  currentUser = freshUser(prefix);
  return currentUser;
}

describe('OAuth2 mailboxes', () => {
  it('logs in with a token it got by the refresh-token grant, and never logs a secret', async () => {
    const user = newMailbox('oauth');
    seedMaildir(dovecot, user, [
      makeDsn({ recipients: [{ address: 'gone@receiver.example', status: '5.1.1' }] }),
    ]);
    const before = provider.issued.length;
    const scan = await runCli(['scan', '--once', '--quiet'], {
      ...oauthEnv(user),
      BOUNCED_LOG_LEVEL: 'trace',
    });
    expect(scan.code, scan.stderr).toBe(0);
    expect(provider.grants.at(-1)).toBe('refresh_token');
    expect(provider.issued.length).toBe(before + 1);
    expect((await runCli(['suppressions', 'list'], oauthEnv(user))).stdout).toContain(
      'gone@receiver.example',
    );
    for (const secret of [provider.issued.at(-1)!, REFRESH_TOKEN, 'client-secret-value'])
      expect(scan.stderr).not.toContain(secret);
  });

  it('refreshes the token before it expires, in the middle of a daemon run, and after the server refuses one', async () => {
    const user = newMailbox('oauth-run');
    provider.ttlSeconds = 8;
    const env = { ...oauthEnv(user), BOUNCED_SCAN_SCHEDULE: '* * * * * *', BOUNCED_LOG_LEVEL: 'info' };
    const first = provider.issued.length;
    const daemon = startCli(['run'], env);
    try {
      await daemon.waitFor(/"msg":"scan done/);
      // Tokens live 8 s and a scan logs in every second: the daemon must take new ones, each
      // before the one in hand expires (8 s, not less: a loaded machine can stall a login for
      // seconds, and an expired token is refused by design).
      await new Promise((r) => setTimeout(r, 20_000));
      expect(provider.issued.length - first).toBeGreaterThanOrEqual(3);
      // Every scan logged in.
      expect(daemon.stderr()).not.toContain('job failed');
      seedMaildir(dovecot, user, [
        makeDsn({ recipients: [{ address: 'mid-run@receiver.example', status: '5.1.1' }] }),
      ]);

      // The token in hand is revoked at the provider: the next login is refused, and
      // bounced logs in again with a new one.
      // Once the daemon holds a long-lived token (the short one in hand expires first):
      provider.ttlSeconds = 3600;
      const shortLived = provider.issued.length;
      while (provider.issued.length === shortLived) await new Promise((r) => setTimeout(r, 100));
      const refusals = () => (daemon.stderr().match(/the OAuth2 token was refused/g) ?? []).length;
      const refusedBefore = refusals();
      provider.revoke(provider.issued.at(-1)!);
      await until(() => refusals() > refusedBefore);
      const done = (daemon.stderr().match(/"msg":"scan done/g) ?? []).length;
      await until(() => (daemon.stderr().match(/"msg":"scan done/g) ?? []).length > done);
      expect(daemon.stderr()).not.toContain('job failed');
      expect((await runCli(['suppressions', 'list'], env)).stdout).toContain('mid-run@receiver.example');
    } finally {
      daemon.child.kill('SIGTERM');
      provider.ttlSeconds = 3600;
    }
    expect(await daemon.exit).toBe(0);
    // 20 s of scans, then up to 8 s for the short-lived token in hand to run out, then the
    // refusal and one more scan: over vitest's 30 s on a slow machine.
  }, 90_000);

  it('a revoked grant fails with one line naming the mailbox and the provider (exit 69)', async () => {
    const user = newMailbox('oauth-revoked');
    const other = await startTestProvider(() => user);
    try {
      other.refuseGrants();
      const scan = await runCli(
        ['scan', '--once', '--quiet'],
        oauthEnv(user, { BOUNCED_OAUTH2_TOKEN_URL: `${other.url}/token` }),
      );
      expect(scan.code).toBe(69);
      const line = scan.stderr.trim().split('\n').at(-1)!;
      expect(line).toContain(`as ${user}`);
      expect(line).toContain('(generic)');
      expect(line).toContain('invalid_grant: Token has been expired or revoked.');
      expect(scan.stderr).not.toContain(REFRESH_TOKEN);
    } finally {
      await other.stop();
    }
  });

  it('takes the token from a command (oauth2.command), and from Google with a refresh token', async () => {
    const user = newMailbox('oauth-cmd');
    seedMaildir(dovecot, user, [
      makeDsn({ recipients: [{ address: 'cmd@receiver.example', status: '5.1.1' }] }),
    ]);
    // A helper that asks the provider itself, as mutt's oauth2.py does.
    const helper = join(dovecot.dir, `token-helper-${user}.mjs`);
    writeFileSync(
      helper,
      `const r = await fetch(${JSON.stringify(`${provider.url}/token`)}, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'grant_type=client_credentials&client_id=helper' });\n` +
        'const j = await r.json(); console.log(JSON.stringify({ access_token: j.access_token, expires_in: j.expires_in }));\n',
    );
    const command = await runCli(['scan', '--once', '--quiet'], {
      ...oauthEnv(user),
      BOUNCED_OAUTH2_PROVIDER: 'command',
      BOUNCED_OAUTH2_COMMAND: `${process.execPath} ${helper}`,
    });
    expect(command.code, command.stderr).toBe(0);
    expect(provider.grants.at(-1)).toBe('client_credentials');

    seedMaildir(dovecot, user, [
      makeDsn({ recipients: [{ address: 'google@receiver.example', status: '5.1.1' }] }),
    ]);
    const google = await runCli(['scan', '--once', '--quiet'], {
      ...oauthEnv(user),
      BOUNCED_OAUTH2_PROVIDER: 'google',
    });
    expect(google.code, google.stderr).toBe(0);
    expect(provider.grants.at(-1)).toBe('refresh_token');
    const list = (await runCli(['suppressions', 'list'], oauthEnv(user))).stdout;
    expect(list).toContain('cmd@receiver.example');
    expect(list).toContain('google@receiver.example');
  });

  it('gets the token from Microsoft (msal, client credentials) when the endpoint is https', async () => {
    // Microsoft's endpoint is https: a provider of our own with a certificate bounced and
    // Dovecot are told to trust, and a Dovecot that asks it.
    const dir = mkdtempSync(join(tmpdir(), 'bounced-ms-'));
    const key = join(dir, 'key.pem');
    const cert = join(dir, 'cert.pem');
    selfSignedCertificate(key, cert);
    // Dovecot's auth process reads the certificate as an unprivileged user.
    chmodSync(dir, 0o755);
    chmodSync(cert, 0o644);
    const user = newMailbox('oauth-ms');
    const ms = await startTestProvider(() => user, { key, cert });
    const server = await startDovecot({
      tls: false,
      oauth2IntrospectionUrl: `${ms.url}/userinfo`,
      oauth2CaFile: cert,
    });
    try {
      seedMaildir(server, user, [
        makeDsn({ recipients: [{ address: 'ms@receiver.example', status: '5.1.1' }] }),
      ]);
      const { BOUNCED_IMAP_PASSWORD: _password, ...base } = envFor(server, user);
      const env = {
        ...base,
        BOUNCED_IMAP_AUTH: 'oauth2',
        BOUNCED_OAUTH2_PROVIDER: 'microsoft',
        BOUNCED_OAUTH2_TENANT: 'contoso.example',
        BOUNCED_OAUTH2_CLIENT_ID: 'bounced-test',
        BOUNCED_OAUTH2_CLIENT_SECRET: 'client-secret-value',
        BOUNCED_OAUTH2_TOKEN_URL: `${ms.url}/token`,
        NODE_EXTRA_CA_CERTS: cert,
      };
      const scan = await runCli(['scan', '--once', '--quiet'], env);
      expect(scan.code, scan.stderr).toBe(0);
      expect(ms.grants).toEqual(['client_credentials']);
      expect((await runCli(['suppressions', 'list'], env)).stdout).toContain('ms@receiver.example');
    } finally {
      await server.stop();
      await ms.stop();
    }
  });

  it('names the missing key of a provider, never a secret', async () => {
    const user = newMailbox('oauth-config');
    const { BOUNCED_OAUTH2_TOKEN_URL: _url, ...noUrl } = oauthEnv(user);
    const missing = await runCli(['scan', '--once'], noUrl);
    expect(missing.code).toBe(78);
    expect(missing.stderr).toContain('oauth2.tokenUrl is required for oauth2.provider=generic');
    const plain = await runCli(
      ['scan', '--once'],
      oauthEnv(user, { BOUNCED_OAUTH2_TOKEN_URL: 'http://example.com/token' }),
    );
    expect(plain.code).toBe(78);
    expect(plain.stderr).toContain('oauth2.tokenUrl must be an https URL');
    const { BOUNCED_OAUTH2_TOKEN_URL: _u, ...msEnv } = oauthEnv(user, {
      BOUNCED_OAUTH2_PROVIDER: 'microsoft',
    });
    const ms = await runCli(['scan', '--once'], msEnv);
    expect(ms.code).toBe(78);
    expect(ms.stderr).toContain('oauth2.tenant is required for oauth2.provider=microsoft');
    for (const r of [missing, plain, ms]) expect(r.stderr).not.toContain('client-secret-value');
  });
});
