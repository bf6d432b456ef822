// The `mailboxes:` list as the loader reads it: inheritance from the imap, oauth2 and scan
// sections, secrets from files and variables, and errors that name the entry's key.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { errorOf } from '../helpers/config-error.ts';
import { loadConfig, requireMailbox } from '../../src/config/load-config.ts';

function fileWith(yaml: string): string {
  const file = join(mkdtempSync(join(tmpdir(), 'bounced-mailboxes-')), 'bounced.yaml');
  writeFileSync(file, yaml);
  return file;
}

describe('several mailboxes', () => {
  it('the imap block alone is one mailbox named default (or imap.name)', () => {
    const config = loadConfig({ env: { BOUNCED_IMAP_HOST: 'imap.example.com', BOUNCED_IMAP_USER: 'u' } });
    expect(config.mailboxes).toHaveLength(1);
    expect(config.mailboxes[0]).toMatchObject({
      name: 'default',
      keys: 'imap',
      imap: { host: 'imap.example.com', user: 'u', port: 993, folder: 'INBOX' },
      scan: { mode: 'schedule', schedule: '*/5 * * * *' },
    });
    const named = loadConfig({ env: { BOUNCED_IMAP_NAME: 'bounces-eu' } });
    expect(named.mailboxes[0]!.name).toBe('bounces-eu');
    expect(errorOf(() => loadConfig({ env: { BOUNCED_IMAP_NAME: 'a b' } })).key).toBe('imap.name');
  });

  it('each entry has its own server, credentials, folders and mode, over the sections it leaves unset', () => {
    const dir = mkdtempSync(join(tmpdir(), 'bounced-secret-'));
    writeFileSync(join(dir, 'eu'), 'eu-password\n');
    const file = fileWith(`
imap:
  tls: starttls
  timeoutSeconds: 20
scan:
  schedule: '*/7 * * * *'
mailboxes:
  - name: eu
    host: imap.eu.example
    user: bounces@eu.example
    passwordFile: ${join(dir, 'eu')}
    reviewFolder: Review
  - name: us
    host: outlook.office365.com
    tls: implicit
    user: bounces@us.example
    auth: oauth2
    oauth2: { provider: microsoft, tenant: t.example, clientId: abc }
    mode: idle
`);
    const config = loadConfig({
      file,
      env: { BOUNCED_MAILBOX_US_OAUTH2_CLIENT_SECRET: 'us-secret' },
    });
    const [eu, us] = config.mailboxes;
    expect(eu).toMatchObject({
      name: 'eu',
      keys: 'mailboxes[0]',
      imap: {
        host: 'imap.eu.example',
        tls: 'starttls',
        port: 143,
        password: 'eu-password',
        timeoutSeconds: 20,
        reviewFolder: 'Review',
        processedFolder: 'Processed',
      },
      scan: { mode: 'schedule', schedule: '*/7 * * * *' },
    });
    expect(us).toMatchObject({
      name: 'us',
      imap: { tls: 'implicit', port: 993, auth: 'oauth2', timeoutSeconds: 20 },
      oauth2: { provider: 'microsoft', tenant: 't.example', clientId: 'abc', clientSecret: 'us-secret' },
      scan: { mode: 'idle' },
    });
    expect(() => requireMailbox(config)).not.toThrow();
  });

  it('names the entry and key of every problem, never a secret', () => {
    const bad = (yaml: string) =>
      errorOf(() => requireMailbox(loadConfig({ file: fileWith(yaml), env: {} })));
    expect(bad('mailboxes:\n  - host: h\n').message).toContain('mailboxes[0].name is required');
    expect(
      bad('mailboxes:\n  - {name: a, host: h, user: u, password: p}\n  - {name: a, host: h2}\n').message,
    ).toContain('mailboxes[1].name in');
    const port = bad('mailboxes:\n  - {name: a, port: nope}\n');
    expect(port.key).toBe('mailboxes[0].port');
    expect(port.message).toMatch(
      /mailboxes\[0\]\.port \(in .*\): expected an integer from 1 to 65535, got "nope"/,
    );
    expect(bad('mailboxes:\n  - {name: a, hots: h}\n').message).toContain('unknown key mailboxes[0].hots');
    const noPassword = bad(
      'mailboxes:\n  - {name: a, host: h, user: u}\n  - {name: b-2, host: h, user: u}\n',
    );
    expect(noPassword.key).toBe('mailboxes[0].password');
    expect(noPassword.message).toContain('BOUNCED_MAILBOX_A_PASSWORD');
    const secret = bad('mailboxes:\n  - {name: a, host: h, user: u, password: [Hunter2-s3cret]}\n');
    expect(secret.message).toContain('mailboxes[0].password');
    expect(secret.message).not.toContain('Hunter2');
    const oauth = bad(
      'mailboxes:\n  - {name: a, host: h, user: u, auth: oauth2, oauth2: {provider: generic}}\n',
    );
    expect(oauth.key).toBe('mailboxes[0].oauth2.tokenUrl');
    expect(bad('mailboxes: {name: a}\n').key).toBe('mailboxes');
  });

  it('takes a listed mailbox’s secret variables as known, and warns of others', () => {
    const warnings: string[] = [];
    loadConfig({
      file: fileWith('mailboxes:\n  - {name: eu, host: h, user: u}\n'),
      env: { BOUNCED_MAILBOX_EU_PASSWORD: 'x', BOUNCED_MAILBOX_US_PASSWORD: 'y' },
      warn: (m) => warnings.push(m),
    });
    expect(warnings).toEqual([expect.stringContaining('BOUNCED_MAILBOX_US_PASSWORD')]);
  });
});
