// `npm run demo`: the real daemon, end to end, on built-in defaults. Starts a private
// Dovecot (installing it when missing and we are root), seeds its inbox with sample
// bounces, runs `bounced run` until its first scan is done, stops it with SIGTERM and
// prints the suppressions it recorded and the digest it would send.
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { DOVECOT_BIN, startDovecot } from '../test/helpers/dovecot.ts';
import { readFolder, seedMaildir } from '../test/helpers/maildir.ts';
import { makeDsn, makeOrdinaryMail } from '../test/helpers/messages.ts';

const say = (line: string) => process.stdout.write(`${line}\n`);

function ensureDovecot(): void {
  if (existsSync(DOVECOT_BIN)) return;
  if (process.getuid?.() !== 0) {
    say(
      'Dovecot is not installed. Install it (sudo apt-get install -y dovecot-imapd) and run the demo again.',
    );
    process.exit(1);
  }
  say('Installing Dovecot (apt-get install -y dovecot-imapd) …');
  execFileSync('apt-get', ['update', '-qq'], { stdio: 'inherit' });
  execFileSync('apt-get', ['install', '-y', '-qq', 'dovecot-imapd'], {
    stdio: 'inherit',
    env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
  });
}

ensureDovecot();
if (!existsSync('dist/src/cli.js')) execFileSync('npm', ['run', 'build'], { stdio: 'inherit' });

const dovecot = await startDovecot();
const user = 'bounces@sender.example';
const samples = readdirSync('test/fixtures/rfc3464')
  .filter((f) => f.endsWith('.eml') && !/-(cr|crlf)\.eml$/.test(f))
  .map((f) => readFileSync(join('test/fixtures/rfc3464', f)));
const synthetic = [
  makeDsn({ recipients: [{ address: 'former.customer@receiver.example', status: '5.1.1' }] }),
  makeDsn({
    recipients: [
      {
        address: 'customer@outlook.example',
        status: '5.7.1',
        diagnostic: '550 5.7.1 Service unavailable, Client host [192.0.2.1] blocked using Spamhaus',
      },
    ],
  }),
  makeOrdinaryMail('Re: your invoice (a person replied to the bounce address)'),
];
seedMaildir(dovecot, user, [...samples, ...synthetic]);
say(
  `Private Dovecot on 127.0.0.1:${dovecot.imapsPort} (IMAPS); inbox of ${user} seeded with ${samples.length + synthetic.length} messages.`,
);

const database = 'data/demo.sqlite';
for (const f of [database, `${database}-wal`, `${database}-shm`]) rmSync(f, { force: true });
const env = {
  ...process.env,
  BOUNCED_IMAP_HOST: dovecot.host,
  BOUNCED_IMAP_PORT: String(dovecot.imapsPort),
  BOUNCED_IMAP_USER: user,
  BOUNCED_IMAP_PASSWORD: dovecot.password,
  BOUNCED_IMAP_CA: dovecot.caFile,
  BOUNCED_DATABASE_URL: database,
};

say('\n$ bounced run   (the daemon; stopped with SIGTERM after its first scan)');
const daemon = spawn(process.execPath, ['bin/bounced.js', 'run'], {
  env,
  stdio: ['ignore', 'inherit', 'pipe'],
});
let log = '';
const scanned = new Promise<void>((resolve, reject) => {
  daemon.stderr.on('data', (chunk: Buffer) => {
    log += chunk.toString();
    for (const line of chunk.toString().split('\n').filter(Boolean)) say(`  | ${line}`);
    if (log.includes('"msg":"scan done"')) resolve();
  });
  daemon.once('exit', (code) => reject(new Error(`bounced run exited with ${code} before its first scan`)));
  setTimeout(() => reject(new Error('no scan within 60 s')), 60_000).unref();
});
try {
  await scanned;
  daemon.kill('SIGTERM');
  const code = await new Promise<number | null>((r) => daemon.once('exit', r));
  say(`  (bounced run exited with ${code})`);

  say('\n$ bounced suppressions list');
  const list = spawnSync(process.execPath, ['bin/bounced.js', 'suppressions', 'list'], {
    env,
    encoding: 'utf8',
  });
  process.stdout.write(list.stdout);
  say('\nIMAP folders after the scan:');
  for (const folder of ['INBOX', 'Processed', 'Unrecognized']) {
    const n = readFolder(dovecot, user, folder).length;
    say(`  ${folder.padEnd(13)} ${n} message${n === 1 ? '' : 's'}`);
  }
  say('\n$ bounced digest --dry-run   # what ops would receive (set smtp.* and digest.* to send it)');
  const digest = spawnSync(process.execPath, ['bin/bounced.js', 'digest', '--dry-run'], {
    env,
    encoding: 'utf8',
  });
  process.stdout.write(digest.stdout);
  say(
    `\nThe database is ${database}; look at it with BOUNCED_DATABASE_URL=${database} npx bounced suppressions show ADDRESS (or export, or suppressions list), or sqlite3 ${database}`,
  );
} finally {
  if (daemon.exitCode === null) daemon.kill('SIGKILL');
  await dovecot.stop();
}
