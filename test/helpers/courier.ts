// A private Courier-IMAP 5.0 on loopback, for the scan tests beside Dovecot: personal
// folders always under `INBOX.`, no MOVE (the COPY + UID EXPUNGE path), and a CREATE of an
// existing folder answered "Cannot create this folder." without RFC 5530's code.
// scripts/ensure-test-deps.sh installs courier-base, courier-authdaemon and
// courier-authlib-userdb (they do not conflict with Dovecot) and unpacks courier-imap into
// SERVER_PACKAGES/courier. Courier's auth library reads fixed paths (/etc/courier,
// /run/courier), so authdaemond and couriertcpd run in a mount namespace of their own
// (unshare -m, as root) with the instance's folders bound over those paths.
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import {
  appendFileSync,
  chmodSync,
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  openSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from './dovecot.ts';
import { type ImapServerInfo, SERVER_PACKAGES, waitForGreeting } from './imap-server.ts';

const ROOT = join(SERVER_PACKAGES, 'courier');
const IMAPD = join(ROOT, 'usr/bin/imapd');
const IMAPLOGIN = join(ROOT, 'usr/lib/courier/courier/imaplogin');
const AUTHDAEMOND = '/usr/lib/courier/courier-authlib/authdaemond';

export function courierAvailable(): boolean {
  return existsSync(IMAPD) && existsSync(AUTHDAEMOND) && existsSync('/usr/sbin/couriertcpd');
}

/** The `mail` user's ids: the mailboxes belong to it. */
function mailIds(): { uid: number; gid: number } {
  return {
    uid: Number(execFileSync('id', ['-u', 'mail'], { encoding: 'utf8' }).trim()),
    gid: Number(execFileSync('id', ['-g', 'mail'], { encoding: 'utf8' }).trim()),
  };
}

export async function startCourier(): Promise<ImapServerInfo & { stop(): Promise<void> }> {
  const dir = mkdtempSync(join(tmpdir(), 'bounced-courier-'));
  // imapd runs as the mail user after login, and goes into the home folders under this one.
  chmodSync(dir, 0o755);
  const port = await freePort();
  const etc = join(dir, 'etc');
  mkdirSync(etc);
  mkdirSync(join(dir, 'run', 'authdaemon'), { recursive: true });
  mkdirSync(join(dir, 'home'));
  for (const f of ['imapd', 'imapd-ssl']) copyFileSync(join(ROOT, 'etc/courier', f), join(etc, f));
  writeFileSync(
    join(etc, 'authdaemonrc'),
    'authmodulelist="authuserdb"\ndaemons=1\nauthdaemonvar=/run/courier/authdaemon\nDEBUG_LOGIN=0\nDEFAULTOPTIONS=""\nLOGGEROPTS=""\n',
  );
  const userdb = join(etc, 'userdb');
  writeFileSync(userdb, '', { mode: 0o600 });
  execFileSync('makeuserdb', ['-f', userdb]);
  // The mount points must exist on the host; the namespace's mounts are private to it.
  mkdirSync('/etc/courier', { recursive: true });
  mkdirSync('/run/courier', { recursive: true });
  const script = join(dir, 'start.sh');
  writeFileSync(
    script,
    `#!/bin/sh
set -e
mount --bind ${etc} /etc/courier
mount --bind ${dir}/run /run/courier
( set -a; . /etc/courier/authdaemonrc; exec ${AUTHDAEMOND} ) &
i=0; while [ ! -S /run/courier/authdaemon/socket ] && [ $i -lt 200 ]; do sleep 0.05; i=$((i+1)); done
set -a; . /etc/courier/imapd; . /etc/courier/imapd-ssl; set +a
exec /usr/sbin/couriertcpd -address=127.0.0.1 -maxprocs=20 -maxperip=20 -nodnslookup -noidentlookup ${port} ${IMAPLOGIN} ${IMAPD} Maildir
`,
  );
  chmodSync(script, 0o755);
  // Its own process group, so that stopping it stops authdaemond too.
  const child: ChildProcess = spawn('unshare', ['-m', '--propagation', 'private', script], {
    detached: true,
    cwd: dir,
    // Its log (authdaemond's and couriertcpd's stderr), for a failure's post-mortem.
    stdio: ['ignore', openSync(join(dir, 'courier.log'), 'a'), openSync(join(dir, 'courier.log'), 'a')],
  });
  const password = 'secret';
  const { uid, gid } = mailIds();
  const info: ImapServerInfo = {
    kind: 'courier',
    host: '127.0.0.1',
    port,
    password,
    addUser(user: string) {
      const home = join(dir, 'home', user);
      for (const sub of ['cur', 'new', 'tmp']) mkdirSync(join(home, 'Maildir', sub), { recursive: true });
      execFileSync('chown', ['-R', `${uid}:${gid}`, home]);
      const hash = execFileSync('openssl', ['passwd', '-6', '-stdin'], {
        input: `${password}\n`,
        encoding: 'utf8',
      }).trim();
      appendFileSync(
        userdb,
        `${user}\tuid=${uid}|gid=${gid}|home=${home}|mail=${home}/Maildir|systempw=${hash}\n`,
      );
      // The .dat the auth daemon reads (bound over /etc/courier/userdb.dat in its namespace).
      execFileSync('makeuserdb', ['-f', userdb]);
    },
  };
  await waitForGreeting(port, child, 'courier (its start script)');
  return {
    ...info,
    async stop() {
      try {
        process.kill(-child.pid!, 'SIGTERM');
      } catch {
        // already gone
      }
      await new Promise((r) =>
        child.exitCode === null && child.signalCode === null ? child.once('exit', r) : r(undefined),
      );
      if (!process.env.KEEP_COURIER) rmSync(dir, { recursive: true, force: true });
    },
  };
}
