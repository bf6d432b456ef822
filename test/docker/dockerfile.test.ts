// What the image promises, checked without a Docker engine (this machine has none): its base,
// its HEALTHCHECK run as Docker would run it, and the README's docker run example.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, inject, it } from 'vitest';
import { envFor } from '../helpers/app.ts';
import { runCli } from '../helpers/cli.ts';
import { freshUser, seedMaildir } from '../helpers/maildir.ts';
import { makeDsn } from '../helpers/messages.ts';

const dovecot = inject('dovecot');
const dockerfile = readFileSync('Dockerfile', 'utf8');

describe('the Docker image', () => {
  it('is built on the current Node LTS that better-sqlite3 12 supports, and engines stays at >=20', () => {
    const bases = [...dockerfile.matchAll(/^FROM\s+(\S+)/gm)].map((m) => m[1]);
    expect(bases.length).toBe(2);
    for (const base of bases) expect(base).toMatch(/^node:26-/);
    const pkg = JSON.parse(readFileSync('package.json', 'utf8'));
    expect(pkg.engines.node).toBe('>=20');
    const sqlite = JSON.parse(readFileSync('node_modules/better-sqlite3/package.json', 'utf8'));
    expect(sqlite.engines.node).toContain('26.x');
  });

  it('its build stage copies every script npm run build runs, and the modules they import', () => {
    const copied = [...dockerfile.matchAll(/^COPY (?!--from)(.+) \S+$/gm)].flatMap((m) => m[1]!.split(/\s+/));
    const pkg = JSON.parse(readFileSync('package.json', 'utf8'));
    const scripts = [...(pkg.scripts.build as string).matchAll(/node (scripts\/\S+\.mjs)/g)].map(
      (m) => m[1]!,
    );
    expect(scripts).toContain('scripts/bundle.mjs');
    const needed = new Set<string>();
    const visit = (file: string) => {
      if (needed.has(file)) return;
      needed.add(file);
      for (const m of readFileSync(file, 'utf8').matchAll(/from '\.\/([^']+)'/g)) visit(`scripts/${m[1]}`);
    };
    for (const s of scripts) visit(s);
    expect(needed.size).toBeGreaterThan(1);
    for (const file of needed) expect(copied, file).toContain(file);
  });

  it("its entry point starts Node with the options of bin/bounced.js's first line, and they run", () => {
    const entry = /^ENTRYPOINT (\[.*\])$/m.exec(dockerfile)?.[1];
    expect(entry).toBeDefined();
    const argv = JSON.parse(entry!) as string[];
    expect(argv[0]).toBe('node');
    expect(argv.at(-1)).toBe('/app/bin/bounced.js');
    const shebang = readFileSync('bin/bounced.js', 'utf8').split('\n')[0]!;
    const options = /^#!\/usr\/bin\/env -S node (.+)$/.exec(shebang)?.[1]?.split(/\s+/);
    expect(options).toContain('--single-threaded-gc');
    expect(argv.slice(1, -1)).toEqual(options);
    // Node refuses an option it does not know (exit 9): these are Node 20's too.
    const run = spawnSync(process.execPath, [...options!, 'bin/bounced.js', '--version'], {
      encoding: 'utf8',
    });
    expect(run.status, run.stderr).toBe(0);
  });

  it("its HEALTHCHECK reads the configuration run reads: BOUNCED_CONFIG, not run's arguments", () => {
    const cmd = /^HEALTHCHECK[^\n]*\\\n\s*CMD (\[.*\])$/m.exec(dockerfile)?.[1];
    expect(cmd).toBeDefined();
    // Run it as Docker would, with /app being this checkout.
    const argv = (JSON.parse(cmd!) as string[]).map((a) => a.replace(/^\/app\//, `${process.cwd()}/`));
    expect(argv.slice(0, 1)).toEqual(['node']);
    expect(argv).not.toContain('--config');

    const user = freshUser();
    const env = envFor(dovecot, user);
    seedMaildir(dovecot, user, [
      makeDsn({ recipients: [{ address: 'gone@receiver.example', status: '5.1.1' }] }),
    ]);
    const file = join(mkdtempSync(join(tmpdir(), 'bounced-docker-')), 'bounced.yaml');
    writeFileSync(
      file,
      `imap:\n  host: ${env.BOUNCED_IMAP_HOST}\n  port: ${env.BOUNCED_IMAP_PORT}\n  tls: ${env.BOUNCED_IMAP_TLS}\n  ca: ${env.BOUNCED_IMAP_CA}\n  user: ${user}\ndatabase:\n  url: ${env.BOUNCED_DATABASE_URL}\nlog:\n  level: silent\n`,
    );
    const scan = runCli(['scan', '--once'], {
      BOUNCED_CONFIG: file,
      BOUNCED_IMAP_PASSWORD: env.BOUNCED_IMAP_PASSWORD!,
    });
    expect(scan.code, scan.stderr).toBe(0);
    const check = (extra: Record<string, string>) =>
      spawnSync(argv[0] === 'node' ? process.execPath : argv[0]!, argv.slice(1), {
        cwd: mkdtempSync(join(tmpdir(), 'bounced-workdir-')),
        env: { PATH: process.env.PATH ?? '', ...extra },
        encoding: 'utf8',
      });
    const healthy = check({ BOUNCED_CONFIG: file });
    expect(healthy.status, healthy.stdout + healthy.stderr).toBe(0);
    expect(JSON.parse(healthy.stdout)).toMatchObject({ ok: true, database: 'ok' });
    // Without it, the check would look at another database and call the container unhealthy.
    expect(check({}).status).toBe(1);
  });

  it("the README's docker run example mounts every secret it names and sets --stop-timeout", () => {
    const readme = readFileSync('README.md', 'utf8');
    const example = /```sh\ndocker build -t bounced \.\n(docker run[\s\S]*?)```/.exec(readme)?.[1] ?? '';
    expect(example).not.toBe('');
    const secrets = [...example.matchAll(/_FILE=(\S+)/g)].map((m) => m[1]!);
    expect(secrets.length).toBeGreaterThan(0);
    for (const path of secrets) expect(example).toMatch(new RegExp(`-v "?[^\\s:]+:${path}(:ro)?"? `));
    const config = /BOUNCED_CONFIG=(\S+)/.exec(example)?.[1];
    expect(config && example.includes(`:${config}:ro`)).toBe(true);
    const stop = Number(/--stop-timeout (\d+)/.exec(example)?.[1]);
    // Above daemon.stopTimeoutSeconds (30 by default), so that SIGTERM can finish the step in hand.
    expect(stop).toBeGreaterThan(30);
  });
});
