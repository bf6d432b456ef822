// The CLI in pipes, scripts and typos, as a user meets it: the installed binary, a real
// shell pipe, real files and a real Dovecot.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, inject, it } from 'vitest';
import { envFor } from '../helpers/app.ts';
import { BIN, runCli } from '../helpers/cli.ts';
import { freePort } from '../helpers/dovecot.ts';
import { fixture } from '../helpers/fixtures.ts';
import { freshUser, seedMaildir } from '../helpers/maildir.ts';
import { makeDsn } from '../helpers/messages.ts';

const dovecot = inject('dovecot');

function tmp(): string {
  return mkdtempSync(join(tmpdir(), 'bounced-cli-'));
}

function dbEnv(): Record<string, string> {
  return { BOUNCED_DATABASE_URL: join(tmp(), 'bounced.sqlite'), BOUNCED_LOG_LEVEL: 'silent' };
}

/** `bounced ARGS | head -1` in a real shell: the exit code of bounced and what it wrote to stderr. */
function intoHead(args: string, env: Record<string, string>) {
  const r = spawnSync(
    'bash',
    ['-c', `set -o pipefail; node ${BIN} ${args} 2>"$ERR" | head -1 >/dev/null; echo "\${PIPESTATUS[0]}"`],
    { env: { PATH: process.env.PATH ?? '', ...env, ERR: join(tmp(), 'stderr') }, encoding: 'utf8' },
  );
  return r.stdout.trim();
}

describe('bounced in a pipe', () => {
  it('ends quietly with exit 0 when the reader closes the pipe: parse, export, list --json', () => {
    const dir = tmp();
    const errFile = join(dir, 'stderr');
    const env = { ...dbEnv(), ERR: errFile };
    // Enough output to outlast the pipe's buffer: 400 files, 5,000 suppressions.
    const eml = join(dir, 'dsn.eml');
    writeFileSync(eml, makeDsn({ recipients: [{ address: 'gone@receiver.example', status: '5.1.1' }] }));
    const files = Array.from({ length: 400 }, () => eml).join(' ');
    writeFileSync(
      join(dir, 'list.csv'),
      Array.from({ length: 5000 }, (_, i) => `user${i}@receiver.example`).join('\n'),
    );
    expect(runCli(['suppressions', 'import', join(dir, 'list.csv')], env).code).toBe(0);
    for (const args of [`parse ${files}`, `parse --json ${files}`, 'export', 'suppressions list --json']) {
      const r = spawnSync(
        'bash',
        ['-c', `node ${BIN} ${args} 2>"$ERR" | head -1 >/dev/null; echo "\${PIPESTATUS[0]}"`],
        { env: { PATH: process.env.PATH ?? '', ...env }, encoding: 'utf8' },
      );
      expect(r.stdout.trim(), args.slice(0, 30)).toBe('0');
      expect(readFileSync(errFile, 'utf8'), args.slice(0, 30)).toBe('');
    }
    expect(intoHead('--version', env)).toBe('0');
  });

  it('parse - reads the message from standard input', () => {
    const r = spawnSync(process.execPath, [BIN, 'parse', '--json', '-'], {
      input: fixture('postfix/lhost-postfix-07.eml'),
      encoding: 'utf8',
    });
    expect(r.status, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out).toMatchObject({ file: '-', kind: 'bounce' });
    expect(out.recipients.length).toBeGreaterThan(0);
  });

  it('--version prints the package version', () => {
    const pkg = JSON.parse(readFileSync('package.json', 'utf8')) as { version: string };
    const r = runCli(['--version']);
    expect(r.code).toBe(0);
    expect(r.stdout.trim()).toBe(pkg.version);
  });
});

describe('file errors', () => {
  it('an output file that cannot be created is one line and exit 73', () => {
    const env = dbEnv();
    expect(runCli(['suppressions', 'add', 'a@receiver.example'], env).code).toBe(0);
    for (const args of [
      ['export', '--output', '/nonexistent/dir/x.csv'],
      ['digest', '--dry-run', '--output', '/nonexistent/dir/digest.txt'],
    ]) {
      const r = runCli(args, env);
      expect(r.code, r.stderr).toBe(73);
      expect(r.stderr).toBe(
        'bounced: cannot create /nonexistent/dir/' +
          args[args.length - 1]!.split('/').pop() +
          ': its folder does not exist (ENOENT)\n',
      );
    }
    const dir = tmp();
    const r = runCli(['export', '--output', dir], env);
    expect(r.code).toBe(73);
    expect(r.stderr).toMatch(/^bounced: cannot create .*: it is a folder \(EISDIR\)\n$/);
  });

  it('a database under /proc fails at once instead of spinning', () => {
    const started = Date.now();
    const r = spawnSync(process.execPath, [BIN, 'suppressions', 'add', 'a@receiver.example'], {
      env: { PATH: process.env.PATH ?? '', BOUNCED_DATABASE_URL: '/proc/nope/db.sqlite' },
      encoding: 'utf8',
      timeout: 20_000,
    });
    expect(r.signal, 'killed by the timeout: it hung').toBeNull();
    expect(Date.now() - started).toBeLessThan(15_000);
    expect(r.status).toBe(74);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toContain('cannot open database /proc/nope/db.sqlite');
  });

  it('takes sqlite:///abs and sqlite:relative, and refuses sqlite://x with a hint', () => {
    const dir = tmp();
    const abs = runCli(['suppressions', 'add', 'a@receiver.example'], {
      BOUNCED_DATABASE_URL: `sqlite://${join(dir, 'abs.sqlite')}`,
      BOUNCED_LOG_LEVEL: 'silent',
    });
    expect(abs.code, abs.stderr).toBe(0);
    expect(existsSync(join(dir, 'abs.sqlite'))).toBe(true);
    const rel = spawnSync(
      process.execPath,
      [join(process.cwd(), BIN), 'suppressions', 'add', 'a@receiver.example'],
      {
        cwd: dir,
        env: {
          PATH: process.env.PATH ?? '',
          BOUNCED_DATABASE_URL: 'sqlite:sub/rel.sqlite',
          BOUNCED_LOG_LEVEL: 'silent',
        },
        encoding: 'utf8',
      },
    );
    expect(rel.status, rel.stderr).toBe(0);
    expect(existsSync(join(dir, 'sub', 'rel.sqlite'))).toBe(true);
    const ambiguous = runCli(['suppressions', 'list'], { BOUNCED_DATABASE_URL: 'sqlite://tmp/x.sqlite' });
    expect(ambiguous.code).toBe(78);
    expect(ambiguous.stderr).toBe(
      'bounced: config error: database.url (from BOUNCED_DATABASE_URL): "sqlite://tmp/x.sqlite" is ambiguous: write sqlite:///tmp/x.sqlite for the absolute path /tmp/x.sqlite, or sqlite:tmp/x.sqlite for a path relative to the working directory\n',
    );
  });
});

describe('config typos', () => {
  it('names every unknown key in the file with a suggestion, and refuses the file', () => {
    const file = join(tmp(), 'bounced.yaml');
    writeFileSync(
      file,
      'imap:\n  hots: mail.example\n  usr: bounces\ndigest:\n  timezon: UTC\n  colour: red\n',
    );
    const r = runCli(['-c', file, 'suppressions', 'list'], dbEnv());
    expect(r.code).toBe(78);
    expect(r.stderr).toBe(
      `bounced: config error: unknown config keys in ${file}: imap.hots (did you mean imap.host?), imap.usr (did you mean imap.user?), digest.timezon (did you mean digest.timezone?), digest.colour\n`,
    );
  });

  it('warns about every unknown BOUNCED_ variable, and goes on', () => {
    const env = {
      ...dbEnv(),
      BOUNCED_IMAP_HOTS: 'x',
      BOUNCED_DIGEST_TOO: 'ops@x.example',
      BOUNCED_COLOUR: 'red',
    };
    const r = runCli(['suppressions', 'add', 'a@receiver.example'], env);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr.split('\n').filter(Boolean)).toEqual([
      'bounced: warning: unknown variable BOUNCED_COLOUR is ignored',
      'bounced: warning: unknown variable BOUNCED_DIGEST_TOO (did you mean BOUNCED_DIGEST_TO?) is ignored',
      'bounced: warning: unknown variable BOUNCED_IMAP_HOTS (did you mean BOUNCED_IMAP_HOST?) is ignored',
    ]);
    // BOUNCED_CONFIG and a secret's _FILE are known names.
    const file = join(tmp(), 'pw');
    writeFileSync(file, 'pw\n');
    const quiet = runCli(['suppressions', 'list'], {
      ...env,
      BOUNCED_IMAP_PASSWORD_FILE: file,
      BOUNCED_COLOUR: '',
    });
    expect(quiet.stderr).not.toContain('PASSWORD_FILE');
  });

  it('digest.timezone and digest.to are checked at start, naming where the value came from', () => {
    const tz = runCli(['suppressions', 'list'], { ...dbEnv(), BOUNCED_DIGEST_TIMEZONE: 'Mars/Olympus' });
    expect(tz.code).toBe(78);
    expect(tz.stderr).toBe(
      'bounced: config error: digest.timezone (from BOUNCED_DIGEST_TIMEZONE): expected an IANA time zone such as Europe/Paris, got "Mars/Olympus"\n',
    );
    const file = join(tmp(), 'bounced.yaml');
    writeFileSync(file, 'digest:\n  to: ops@example.com, oncall@@example.com\n');
    const to = runCli(['-c', file, 'suppressions', 'list'], dbEnv());
    expect(to.code).toBe(78);
    expect(to.stderr).toBe(
      `bounced: config error: digest.to (in ${file}): "oncall@@example.com" is not an email address: it has more than one "@"\n`,
    );
  });
});

describe('the order of start-up', () => {
  it('checks required settings before it opens or creates a database', () => {
    const env = dbEnv();
    const r = runCli(['scan', '--once'], env);
    expect(r.code).toBe(78);
    expect(r.stderr).toContain('imap.host is required');
    expect(existsSync(env.BOUNCED_DATABASE_URL!)).toBe(false);
    const digest = runCli(['digest', '--now'], env);
    expect(digest.code).toBe(78);
    expect(digest.stderr).toContain('smtp.host is required to send a digest');
    expect(existsSync(env.BOUNCED_DATABASE_URL!)).toBe(false);
  });

  it('read-only commands never create a database', () => {
    const env = dbEnv();
    for (const args of [
      ['suppressions', 'list'],
      ['suppressions', 'show', 'a@receiver.example'],
      ['export'],
      ['digest', '--dry-run'],
    ]) {
      const r = runCli(args, env);
      expect(r.code, args.join(' ')).toBe(66);
      expect(r.stderr).toBe(
        `bounced: no database at ${env.BOUNCED_DATABASE_URL}; run a scan first (bounced scan)\n`,
      );
    }
    const health = runCli(['health'], env);
    expect(health.code).toBe(1);
    expect(JSON.parse(health.stdout)).toMatchObject({ ok: false, database: 'missing' });
    expect(existsSync(env.BOUNCED_DATABASE_URL!)).toBe(false);
  });
});

describe('suppressions add and import', () => {
  it('a second add is idempotent and says so', () => {
    const env = dbEnv();
    expect(runCli(['suppressions', 'add', 'vip@receiver.example', '--reason', 'asked'], env).stdout).toBe(
      'suppressed vip@receiver.example\n',
    );
    const again = runCli(['suppressions', 'add', 'VIP@receiver.example', '--reason', 'again'], env);
    expect(again.code).toBe(0);
    expect(again.stdout).toBe('vip@receiver.example was already suppressed; nothing changed\n');
    const detail = JSON.parse(runCli(['suppressions', 'show', 'vip@receiver.example', '--json'], env).stdout);
    expect(detail.suppression).toMatchObject({ bounceCount: 0, cause: 'asked' });
    expect(detail.history).toHaveLength(1);
    expect(runCli(['suppressions', 'show', 'vip@receiver.example'], env).stdout).toContain('0 event(s)');
  });

  it('refuses what is not a mailbox, naming the problem', () => {
    const env = dbEnv();
    const cases: [string, string][] = [
      ['x@@y.example', 'it has more than one "@"'],
      ['x@y..example', 'the domain has an empty label ("..")'],
      ['x@y', 'the domain has no dot'],
      ['a\u0001b@y.example', 'it holds a control character'],
      ['a b@y.example', 'the local part has a character a mailbox cannot have'],
    ];
    for (const [address, problem] of cases) {
      const r = runCli(['suppressions', 'add', address], env);
      expect(r.code, address).toBe(64);
      expect(r.stderr).toBe(`bounced: not an email address: ${JSON.stringify(address)} (${problem})\n`);
    }
    // IDN is allowed, and stored as one mailbox with its A-label form.
    expect(runCli(['suppressions', 'add', 'user@müller.example'], env).code).toBe(0);
    expect(runCli(['suppressions', 'add', 'user@xn--mller-kva.example'], env).stdout).toContain(
      'already suppressed',
    );
  });

  it('import skips and names bad lines, and refuses a file that is mostly not addresses', () => {
    const env = dbEnv();
    const dir = tmp();
    const mixed = join(dir, 'mixed.csv');
    writeFileSync(
      mixed,
      'email,reason\nok1@receiver.example,a\nx@@y.example,b\nx@y,c\nok2@receiver.example,d\nok3@receiver.example,e\n',
    );
    const r = runCli(['suppressions', 'import', mixed], env);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toBe('imported 3 addresses; skipped 2 bad lines\n');
    expect(r.stderr).toBe(
      'bounced: skipped 2 lines that are not email addresses: line 3 "x@@y.example" (it has more than one "@"), line 4 "x@y" (the domain has no dot)\n',
    );
    const again = runCli(['suppressions', 'import', mixed], env);
    expect(again.stdout).toBe('imported 0 addresses; 3 already suppressed; skipped 2 bad lines\n');

    const binary = join(dir, 'binary.csv');
    writeFileSync(binary, readFileSync(process.execPath).subarray(0, 4096));
    const b = runCli(['suppressions', 'import', binary], env);
    expect(b.code).toBe(65);
    expect(b.stderr).toBe(`bounced: ${binary} is not a text file (it holds NUL bytes); nothing imported\n`);

    const junk = join(dir, 'junk.csv');
    writeFileSync(junk, 'name\nAda Lovelace\nCharles Babbage\nada@receiver.example\n');
    const j = runCli(['suppressions', 'import', junk], env);
    expect(j.code).toBe(65);
    expect(j.stderr).toContain(`${junk}: 2 of 3 lines are not email addresses (line 2 "Ada Lovelace"`);
    expect(j.stderr).toContain('nothing imported');
    const list = runCli(['suppressions', 'list', '--json'], env).stdout.trim().split('\n');
    expect(list).toHaveLength(3);
  });
});

describe('error hints', () => {
  it('implicit TLS against the plaintext port says to try starttls', () => {
    const user = freshUser();
    seedMaildir(dovecot, user, [
      makeDsn({ recipients: [{ address: 'a@receiver.example', status: '5.1.1' }] }),
    ]);
    const env = envFor(dovecot, user, {
      BOUNCED_IMAP_TLS: 'implicit',
      BOUNCED_IMAP_PORT: String(dovecot.port),
    });
    const r = runCli(['scan', '--once'], env);
    expect(r.code).toBe(69);
    expect(r.stderr).toBe(
      `bounced: mailbox error: the server did not speak TLS on port ${dovecot.port} of ${dovecot.host}; try imap.tls=starttls (or imap.port=993 for implicit TLS)\n`,
    );
  });

  it('a refused connection is said once, with host and port', async () => {
    const port = await freePort();
    const r = runCli(['scan', '--once'], {
      ...dbEnv(),
      BOUNCED_IMAP_HOST: '127.0.0.1',
      BOUNCED_IMAP_PORT: String(port),
      BOUNCED_IMAP_USER: 'u',
      BOUNCED_IMAP_PASSWORD: 'p',
    });
    expect(r.code).toBe(69);
    expect(r.stderr).toBe(
      `bounced: mailbox error: connection refused by 127.0.0.1:${port}: is the IMAP server running, and is ${port} its port?\n`,
    );
    expect(r.stderr.match(/refused/gi)).toHaveLength(1);
  });
});
