import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, inject, it } from 'vitest';
import { parseCsv } from '../../src/export/csv.ts';
import { envFor } from '../helpers/app.ts';
import { runCli } from '../helpers/cli.ts';
import { freshUser, seedMaildir } from '../helpers/maildir.ts';
import { makeDsn } from '../helpers/messages.ts';
import { sqlOn, TEST_STORE } from '../helpers/store.ts';

const dovecot = inject('dovecot');

function dbEnv(): Record<string, string> {
  const dir = mkdtempSync(join(tmpdir(), 'bounced-cli-'));
  return { BOUNCED_DATABASE_URL: join(dir, 'bounced.sqlite'), BOUNCED_LOG_LEVEL: 'silent' };
}

describe('bounced suppressions, by hand', () => {
  it('adds, removes and lists by hand, keeping the history', () => {
    const env = dbEnv();
    const add = runCli(['suppressions', 'add', 'VIP@Receiver.Example', '--reason', 'asked by phone'], env);
    expect(add.code, add.stderr).toBe(0);
    // Addresses are kept lower-cased: bounces report them in any case.
    expect(add.stdout).toBe('suppressed vip@receiver.example\n');

    const list = runCli(['suppressions', 'list', '--json'], env);
    expect(
      list.stdout
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l)),
    ).toMatchObject([
      { address: 'vip@receiver.example', source: 'manual', cause: 'asked by phone', active: true },
    ]);

    expect(runCli(['suppressions', 'remove', 'vip@receiver.example'], env)).toMatchObject({
      code: 0,
      stdout: 'removed vip@receiver.example\n',
    });
    const again = runCli(['suppressions', 'remove', 'vip@receiver.example'], env);
    expect(again.code).toBe(1);
    expect(again.stdout + again.stderr).toContain('vip@receiver.example is not suppressed');
    expect(runCli(['suppressions', 'list'], env).stdout).toBe('no suppressed addresses\n');
    expect(runCli(['suppressions', 'list', '--all'], env).stdout).toMatch(/vip@receiver\.example +removed/);

    const show = runCli(['suppressions', 'show', 'vip@receiver.example', '--json'], env);
    expect(show.code).toBe(0);
    const detail = JSON.parse(show.stdout);
    expect(detail.suppression).toMatchObject({ active: false });
    expect(detail.history.map((h: { action: string }) => h.action)).toEqual(['suppressed', 'removed']);

    const bad = runCli(['suppressions', 'add', 'not an address'], env);
    expect(bad.code).toBe(64);
    expect(bad.stderr).toContain('not an address');
  });

  it('show gives the evidence trail of a bounce: the event and its message reference', () => {
    const user = freshUser();
    const env = envFor(dovecot, user);
    seedMaildir(dovecot, user, [
      makeDsn({
        recipients: [{ address: 'gone@receiver.example', status: '5.1.1' }],
        originalMessageId: 'n1@sender.example',
      }),
    ]);
    expect(runCli(['scan', '--once'], env).code).toBe(0);
    const show = runCli(['suppressions', 'show', 'gone@receiver.example'], env);
    expect(show.code, show.stderr).toBe(0);
    expect(show.stdout).toContain('gone@receiver.example: SUPPRESSED');
    expect(show.stdout).toMatch(/source bounce · rule: /);
    expect(show.stdout).toMatch(/Evidence \(1\):[\s\S]*5\.1\.1[\s\S]*imap:INBOX;UIDVALIDITY=\d+;UID=1/);
    expect(show.stdout).toContain('about <n1@sender.example> · reported by mx.sender.example');
    const none = runCli(['suppressions', 'show', 'never@receiver.example'], env);
    expect(none.stdout).toContain('never@receiver.example: not suppressed, never was');
  });

  it('imports a CSV from another tool, and its own export', () => {
    const env = dbEnv();
    const dir = mkdtempSync(join(tmpdir(), 'bounced-import-'));
    const other = join(dir, 'other.csv');
    writeFileSync(other, '\uFEFFName,E-mail,Note\r\nAda,ada@receiver.example,"hard, 2019"\r\nBob,bob@,x\r\n');
    const r = runCli(['suppressions', 'import', other], env);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('imported 1 addresses; skipped 1 bad lines');
    expect(r.stderr).toContain('line 3 "bob@" (it needs a local part, "@" and a domain)');

    expect(runCli(['suppressions', 'add', '--', '=1+cmd@receiver.example'], env).code).toBe(0);
    const exported = join(dir, 'export.csv');
    expect(runCli(['export', '--output', exported], env).code).toBe(0);
    const rows = parseCsv(readFileSync(exported, 'utf8'));
    expect(rows.map((row) => [row[0], row[9]])).toEqual([
      ['email', 'source'],
      ["'=1+cmd@receiver.example", 'manual'],
      ['ada@receiver.example', 'manual'],
    ]);
    expect(rows[2]?.[2]).toBe(`imported from ${other}: hard, 2019`);

    // The export goes into another bounced as it is, apostrophe and all.
    const env2 = dbEnv();
    expect(runCli(['suppressions', 'import', exported], env2).stdout).toContain('imported 2 addresses');
    expect(
      runCli(['suppressions', 'list', '--json'], env2)
        .stdout.trim()
        .split('\n')
        .map((l) => JSON.parse(l).address),
    ).toEqual(['=1+cmd@receiver.example', 'ada@receiver.example']);

    const missing = runCli(['suppressions', 'import', join(dir, 'nope.csv')], env);
    expect(missing.code).toBe(66);
    expect(missing.stderr).toContain('nope.csv');
  });

  it('export refuses a bad --format or --since, naming it', () => {
    const env = dbEnv();
    const f = runCli(['export', '--format', 'xlsx'], env);
    expect(f.code).toBe(64);
    expect(f.stderr).toContain('--format must be csv or json, got "xlsx"');
    const s = runCli(['export', '--since', 'yesterday'], env);
    expect(s.code).toBe(64);
    expect(s.stderr).toContain('--since must be a date');
  });
});

describe('bounced health', () => {
  it('is unhealthy before the first scan, healthy after it, and again once the scan is too old', async () => {
    const user = freshUser();
    const env = envFor(dovecot, user);
    const before = runCli(['health'], env);
    expect(before.code).toBe(1);
    expect(JSON.parse(before.stdout)).toEqual({
      ok: false,
      database: 'missing',
      // A read-only command creates neither a SQLite file nor PostgreSQL tables.
      problem: `${TEST_STORE === 'postgres' ? 'no bounced tables in' : 'no database at'} ${env.BOUNCED_DATABASE_URL}; run a scan first (bounced scan)`,
    });
    expect(runCli(['migrate'], env).code).toBe(0);
    const empty = runCli(['health'], env);
    expect(empty.code).toBe(1);
    expect(JSON.parse(empty.stdout)).toEqual({
      ok: false,
      database: 'ok',
      mailboxes: [{ name: 'default', ok: false, problem: 'no successful scan yet' }],
      problem: 'no successful scan yet',
    });

    expect(runCli(['scan', '--once'], env).code).toBe(0);
    const after = runCli(['health'], env);
    expect(after.code, after.stdout).toBe(0);
    expect(JSON.parse(after.stdout)).toMatchObject({ ok: true, database: 'ok', lastScanAgeMinutes: 0 });

    await sqlOn(env.BOUNCED_DATABASE_URL!, 'UPDATE scan_runs SET finished_at = ?', [
      new Date(Date.now() - 45 * 60_000).toISOString(),
    ]);
    const stale = runCli(['health'], env);
    expect(stale.code).toBe(1);
    expect(JSON.parse(stale.stdout).problem).toBe('last successful scan 45 minutes ago (limit 30)');
    expect(runCli(['health'], { ...env, BOUNCED_HEALTH_MAX_SCAN_AGE_MINUTES: '60' }).code).toBe(0);
  });
});
