import { describe, expect, inject, it } from 'vitest';
import { envFor } from '../helpers/app.ts';
import { runCli, startCli } from '../helpers/cli.ts';
import { freshUser, readFolder, seedMaildir } from '../helpers/maildir.ts';
import { makeDsn, makeOrdinaryMail } from '../helpers/messages.ts';

const dovecot = inject('dovecot');

describe('the bounced command', () => {
  it('lists its commands, and each command has its own help', () => {
    const help = runCli(['--help']);
    expect(help.code).toBe(0);
    for (const command of ['run', 'scan', 'parse', 'suppressions', 'migrate'])
      expect(help.stdout).toContain(command);
    const parse = runCli(['parse', '--help']);
    expect(parse.code).toBe(0);
    expect(parse.stdout).toContain('--json');
    expect(runCli(['suppressions', 'list', '--help']).code).toBe(0);
  });

  it('parse --json prints one object per file in the shape the corpus scorer reads', () => {
    const r = runCli([
      'parse',
      '--json',
      'test/fixtures/rfc3464/rfc3464-63.eml',
      'test/fixtures/rfc3464/rfc3464-07.eml',
    ]);
    expect(r.code).toBe(0);
    const lines = r.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatchObject({
      file: 'test/fixtures/rfc3464/rfc3464-63.eml',
      kind: 'bounce',
      recipients: [
        {
          address: 'libsisimai-2@googlegroups.com',
          action: 'failed',
          status: '5.1.1',
          replyCode: '550',
          reason: 'userunknown',
          hard: true,
        },
      ],
    });
    expect(lines[0].recipients[0].diagnostic).toContain('does not exist');
    expect(lines[1]).toMatchObject({ kind: 'delayed' });
  });

  it('parse names a file it cannot read and goes on with the others', () => {
    const r = runCli(['parse', '--json', 'no-such.eml', 'test/fixtures/rfc3464/rfc3464-63.eml']);
    expect(r.code).toBe(66);
    expect(r.stderr).toContain('cannot read no-such.eml: ENOENT');
    expect(r.stdout.trim().split('\n')).toHaveLength(1);
  });

  it('parse --generic-only turns the family dialects off, and says so in --help', () => {
    expect(runCli(['parse', '--help']).stdout).toContain('--generic-only');
    const file = 'test/fixtures/powermta/powermta-synthetic-01.eml';
    const formats = (args: string[]) =>
      (JSON.parse(runCli(['parse', '--json', ...args, file]).stdout) as { format: string }).format;
    expect(formats([])).toBe('powermta');
    expect(formats(['--generic-only'])).toBe('rfc3464');
  });

  it('exits 78 with one line naming the bad key', () => {
    const r = runCli(['scan', '--once'], { BOUNCED_IMAP_PORT: 'abc' });
    expect(r.code).toBe(78);
    expect(r.stderr.trim()).toBe(
      'bounced: config error: imap.port (from BOUNCED_IMAP_PORT): expected an integer from 1 to 65535, got "abc"',
    );
    const missing = runCli(['scan', '--once'], { BOUNCED_DATABASE_URL: ':memory:' });
    expect(missing.code).toBe(78);
    expect(missing.stderr).toContain('imap.host is required');
  });

  it('exits 69 with a clear message for a wrong password, and never prints it', () => {
    const env = envFor(dovecot, freshUser(), { BOUNCED_IMAP_PASSWORD: 'not-the-password' });
    const r = runCli(['scan', '--once'], env);
    expect(r.code).toBe(69);
    expect(r.stderr).toContain('was refused: wrong user or password');
    expect(r.stderr + r.stdout).not.toContain('not-the-password');
  });

  it('scan --once, then suppressions list, then migrate on the same database', () => {
    const user = freshUser();
    seedMaildir(dovecot, user, [
      makeDsn({ recipients: [{ address: 'gone@receiver.example', status: '5.1.1' }] }),
      makeOrdinaryMail(),
    ]);
    const env = envFor(dovecot, user, { BOUNCED_LOG_LEVEL: 'info' });
    const scan = runCli(['scan', '--once'], env);
    expect(scan.code).toBe(0);
    const summary = scan.stderr
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l))
      .find((l) => l.msg === 'scan done');
    expect(summary).toMatchObject({ component: 'scan', seen: 2, bounces: 1, unrecognized: 1, moved: 2 });
    expect(summary.durationMs).toBeGreaterThanOrEqual(0);
    expect(scan.stderr).not.toContain(dovecot.password);

    const list = runCli(['suppressions', 'list'], env);
    expect(list.code).toBe(0);
    expect(list.stdout).toMatch(/gone@receiver\.example\s+userunknown\s+5\.1\.1\s+1/);
    const json = runCli(['suppressions', 'list', '--json'], env);
    expect(JSON.parse(json.stdout.trim())).toMatchObject({
      address: 'gone@receiver.example',
      bounceCount: 1,
    });
    expect(runCli(['migrate'], env).code).toBe(0);
  });

  it('run scans at start and on schedule, and exits 0 on SIGTERM', async () => {
    const user = freshUser();
    seedMaildir(dovecot, user, [
      makeDsn({ recipients: [{ address: 'gone@receiver.example', status: '5.1.1' }] }),
    ]);
    const env = envFor(dovecot, user, { BOUNCED_LOG_LEVEL: 'info', BOUNCED_SCAN_SCHEDULE: '* * * * * *' });
    const daemon = startCli(['run'], env);
    await daemon.waitFor(/"msg":"scan done"/);
    // A second message arrives while the daemon runs; the every-second schedule picks it up.
    seedMaildir(dovecot, user, [
      makeDsn({ recipients: [{ address: 'late@receiver.example', status: '5.1.1' }] }),
    ]);
    await daemon.waitFor(/"bounces":1[^\n]*"msg":"scan done"[\s\S]*"bounces":1[^\n]*"msg":"scan done"/);
    daemon.child.kill('SIGTERM');
    expect(await daemon.exit).toBe(0);
    expect(daemon.stderr()).toContain('"msg":"stopped"');
    expect(readFolder(dovecot, user, 'INBOX')).toHaveLength(0);
    const list = runCli(['suppressions', 'list', '--json'], env);
    expect(
      list.stdout
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l).address),
    ).toEqual(['gone@receiver.example', 'late@receiver.example']);
  });
});
