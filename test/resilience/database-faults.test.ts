import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BIN, runCli } from '../helpers/cli.ts';

// A read-only and a full file system, each in a private mount namespace (unshare -m, as
// root, as CI runs): the error names the cause in one line, with exit 74.
const root = process.getuid?.() === 0;

function inNamespace(script: string): { code: number | null; stderr: string } {
  const r = spawnSync('unshare', ['-m', 'bash', '-c', script], { encoding: 'utf8' });
  return { code: r.status, stderr: r.stderr };
}

function databaseWithOneRow(): string {
  const dir = mkdtempSync(join(tmpdir(), 'bounced-dbfault-'));
  const env = { BOUNCED_DATABASE_URL: join(dir, 'db.sqlite'), BOUNCED_LOG_LEVEL: 'silent' };
  expect(runCli(['suppressions', 'add', 'first@receiver.example'], env).code).toBe(0);
  return dir;
}

const cli = `${process.execPath} ${resolve(BIN)}`;

describe.skipIf(!root)('database faults', () => {
  it('a read-only database directory: exit 74, one line that says read-only', () => {
    const dir = databaseWithOneRow();
    const r = inNamespace(
      `mount --bind ${dir} ${dir} && mount -o remount,bind,ro ${dir} && ` +
        `BOUNCED_DATABASE_URL=${dir}/db.sqlite BOUNCED_LOG_LEVEL=silent ${cli} suppressions add second@receiver.example`,
    );
    expect(r.code, r.stderr).toBe(74);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toContain('read-only');
  });

  it('a full disk: exit 74 saying so, not the failed rollback it causes', () => {
    const dir = databaseWithOneRow();
    const full = mkdtempSync(join(tmpdir(), 'bounced-full-'));
    const csv = join(dir, 'many.csv');
    writeFileSync(
      csv,
      Array.from({ length: 4000 }, (_, i) => `user${i}@receiver.example,${'a long cause '.repeat(5)}`).join(
        '\n',
      ),
    );
    const r = inNamespace(
      `mount -t tmpfs -o size=400k tmpfs ${full} && cp ${dir}/db.sqlite ${full}/ && ` +
        `(dd if=/dev/zero of=${full}/fill bs=1k count=250 2>/dev/null; true) && ` +
        `BOUNCED_DATABASE_URL=${full}/db.sqlite BOUNCED_LOG_LEVEL=silent ${cli} suppressions import ${csv} > /dev/null`,
    );
    expect(r.code, r.stderr).toBe(74);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    // Full while writing (SQLITE_FULL), or already too full to open the WAL (SQLITE_IOERR_SHMSIZE).
    expect(r.stderr).toMatch(/the disk is full.*\((SQLITE_FULL|SQLITE_IOERR_SHMSIZE)\)$/m);
    expect(r.stderr).not.toContain('rollback');
  });
});
