import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { errorOf } from '../helpers/config-error.ts';
import { parse as parseYaml } from 'yaml';
import { loadConfig, requireMailbox } from '../../src/config/load-config.ts';
import { envName, OPTIONS } from '../../src/config/options.ts';
import { REASONS } from '../../src/classify/reasons/index.ts';

const tmp = () => mkdtempSync(join(tmpdir(), 'bounced-config-'));

describe('configuration', () => {
  it('maps every key to BOUNCED_ and its path in upper snake case', () => {
    expect(envName('imap.host')).toBe('BOUNCED_IMAP_HOST');
    expect(envName('imap.processedFolder')).toBe('BOUNCED_IMAP_PROCESSED_FOLDER');
    expect(envName('imap.reviewFolder')).toBe('BOUNCED_IMAP_REVIEW_FOLDER');
    expect(envName('database.url')).toBe('BOUNCED_DATABASE_URL');
  });

  it('reads the documented environment variables', () => {
    const config = loadConfig({
      env: {
        BOUNCED_IMAP_HOST: 'imap.example.com',
        BOUNCED_IMAP_PORT: '1993',
        BOUNCED_IMAP_USER: 'bounces',
        BOUNCED_IMAP_PASSWORD: 'pw',
        BOUNCED_IMAP_TLS: 'starttls',
        BOUNCED_IMAP_FOLDER: 'Bounces',
        BOUNCED_IMAP_PROCESSED_FOLDER: 'Done',
        BOUNCED_IMAP_REVIEW_FOLDER: 'Look',
        BOUNCED_DATABASE_URL: 'sqlite:/tmp/x.sqlite',
        BOUNCED_SCAN_BATCH_SIZE: '7',
        BOUNCED_SCAN_SCHEDULE: '0 * * * *',
        BOUNCED_LOG_LEVEL: 'debug',
      },
    });
    expect(config.imap).toMatchObject({
      host: 'imap.example.com',
      port: 1993,
      user: 'bounces',
      password: 'pw',
      tls: 'starttls',
      folder: 'Bounces',
      processedFolder: 'Done',
      reviewFolder: 'Look',
    });
    expect(config.database.url).toBe('sqlite:/tmp/x.sqlite');
    expect(config.scan).toMatchObject({ batchSize: 7, schedule: '0 * * * *' });
    expect(config.log.level).toBe('debug');
  });

  it('has safe defaults: TLS verified, port from the TLS mode, INBOX → Processed / Unrecognized', () => {
    const config = loadConfig({ env: {} });
    expect(config.imap).toMatchObject({ tls: 'implicit', tlsVerify: true, port: 993, folder: 'INBOX' });
    expect(config.imap.processedFolder).toBe('Processed');
    expect(config.imap.reviewFolder).toBe('Unrecognized');
    expect(loadConfig({ env: { BOUNCED_IMAP_TLS: 'none' } }).imap.port).toBe(143);
    expect(Object.isFrozen(config.imap)).toBe(true);
  });

  it('reads a secret from BOUNCED_IMAP_PASSWORD_FILE without its trailing newline', () => {
    const file = join(tmp(), 'pw');
    writeFileSync(file, 's3cret\n');
    expect(loadConfig({ env: { BOUNCED_IMAP_PASSWORD_FILE: file } }).imap.password).toBe('s3cret');
  });

  it('names the key, the variable and what is expected for a bad value', () => {
    const port = errorOf(() => loadConfig({ env: { BOUNCED_IMAP_PORT: 'abc' } }));
    expect(port.key).toBe('imap.port');
    expect(port.message).toBe(
      'imap.port (from BOUNCED_IMAP_PORT): expected an integer from 1 to 65535, got "abc"',
    );
    const tls = errorOf(() => loadConfig({ env: { BOUNCED_IMAP_TLS: 'ssl' } }));
    expect(tls.message).toContain('expected one of implicit, starttls, none');
    const cron = errorOf(() => loadConfig({ env: { BOUNCED_SCAN_SCHEDULE: 'every minute' } }));
    expect(cron.key).toBe('scan.schedule');
  });

  it('never repeats a secret in an error', () => {
    const err = errorOf(() => loadConfig({ env: { BOUNCED_IMAP_PASSWORD: '   ' } }));
    expect(err.key).toBe('imap.password');
    expect(err.message).not.toContain('"   "');
    const both = errorOf(() =>
      loadConfig({ env: { BOUNCED_IMAP_PASSWORD: 'hunter2', BOUNCED_IMAP_PASSWORD_FILE: '/nonexistent' } }),
    );
    expect(both.message).not.toContain('hunter2');
  });

  it('rejects an unknown key in the file, naming it', () => {
    const file = join(tmp(), 'c.yaml');
    writeFileSync(file, 'imap:\n  hots: x\n');
    expect(errorOf(() => loadConfig({ file, env: {} })).message).toBe(
      `unknown config key in ${file}: imap.hots (did you mean imap.host?)`,
    );
  });

  it('lets variables override the file', () => {
    const file = join(tmp(), 'c.yaml');
    writeFileSync(file, 'imap:\n  host: from-file\n  user: u\nscan:\n  batchSize: 5\n');
    const config = loadConfig({ file, env: { BOUNCED_IMAP_HOST: 'from-env' } });
    expect(config.imap.host).toBe('from-env');
    expect(config.scan.batchSize).toBe(5);
  });

  it('requires host, user and a password or token only for commands that need the mailbox', () => {
    expect(errorOf(() => requireMailbox(loadConfig({ env: {} }))).key).toBe('imap.host');
    const noPassword = loadConfig({ env: { BOUNCED_IMAP_HOST: 'h', BOUNCED_IMAP_USER: 'u' } });
    expect(errorOf(() => requireMailbox(noPassword)).key).toBe('imap.password');
  });

  it('ships config/bounced.yaml with every option, and its values are the defaults', () => {
    const path = new URL('../../config/bounced.yaml', import.meta.url);
    const text = readFileSync(path, 'utf8');
    const doc = parseYaml(text) as Record<string, Record<string, unknown>>;
    for (const o of OPTIONS) {
      const [section, name] = o.key.split('.') as [string, string];
      expect(doc[section], o.key).toHaveProperty(name);
      expect(text, `${o.key} documents its variable`).toContain(envName(o.key));
    }
    expect(loadConfig({ file: path.pathname, env: {} })).toEqual(loadConfig({ env: {} }));
  });
});

describe('the README', () => {
  it('describes every bounce reason with its current description and advice', () => {
    const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
    for (const [name, r] of REASONS)
      expect(readme, name).toContain(`| \`${name}\` | ${r.description} | ${r.advice} |`);
  });

  it('documents every option and its variable', () => {
    const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
    for (const o of OPTIONS) {
      expect(readme, o.key).toContain(`\`${o.key}\``);
      expect(readme, o.key).toContain(envName(o.key));
    }
  });

  it('names the line and key of a YAML syntax error, never the value (6 error shapes)', () => {
    const secret = 'Hunter2-s3cr3t';
    const shapes = [
      `imap:\n  host: mail.example.com\n  password: "${secret}\n  user: bob\n`, // unterminated quote
      `imap:\n  password: ${secret}\n   user: bob\n`, // bad indentation
      `imap:\n\tpassword: ${secret}\n`, // a tab
      `imap: {password: ${secret}, user: bob\n`, // unclosed flow map
      `imap:\n  password: ${secret}\n  password: ${secret}\n`, // duplicate key
      `imap:\n  password: *${secret}\n`, // unknown alias
    ];
    for (const yaml of shapes) {
      const dir = tmp();
      const file = join(dir, 'bounced.yaml');
      writeFileSync(file, yaml);
      const err = errorOf(() => loadConfig({ file, env: {} }));
      expect(err.message, yaml).not.toContain(secret);
      expect(err.message, yaml).not.toContain('s3cr3t');
      expect(err.message.split('\n'), yaml).toHaveLength(1);
      expect(err.message, yaml).toMatch(/line \d+/);
    }
  });
});
