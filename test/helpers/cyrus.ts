// A private Cyrus IMAP 3.6 on loopback, for the scan tests beside Dovecot. Debian's
// cyrus-imapd conflicts with dovecot-imapd, so scripts/ensure-test-deps.sh installs only
// cyrus-common and sasl2-bin and unpacks the server package into SERVER_PACKAGES/cyrus;
// the master runs as the `cyrus` user with its configuration in the instance folder, users
// in a private sasldb. `altnamespace: no` is Debian's default: personal folders live under
// `INBOX.` (`* NAMESPACE (("INBOX." "."))`).
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { chownSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from './dovecot.ts';
import { type ImapServerInfo, SERVER_PACKAGES, waitForGreeting } from './imap-server.ts';

const IMAPD = join(SERVER_PACKAGES, 'cyrus/usr/lib/cyrus/bin/imapd');
const MASTER = '/usr/lib/cyrus/bin/master';

export function cyrusAvailable(): boolean {
  return existsSync(IMAPD) && existsSync(MASTER);
}

export interface CyrusOptions {
  /** Capabilities to hide (`suppress_capabilities`), e.g. MOVE. */
  readonly suppress?: string;
}

export async function startCyrus(
  options: CyrusOptions = {},
): Promise<ImapServerInfo & { stop(): Promise<void> }> {
  const dir = mkdtempSync(join(tmpdir(), 'bounced-cyrus-'));
  const port = await freePort();
  const uid = Number(execFileSync('id', ['-u', 'cyrus'], { encoding: 'utf8' }).trim());
  const gid = Number(execFileSync('id', ['-g', 'cyrus'], { encoding: 'utf8' }).trim());
  const conf = join(dir, 'conf');
  for (const sub of [
    'db',
    'proc',
    'socket',
    'log',
    'msg',
    'user',
    'quota',
    'sieve',
    'lock',
    'ptclient',
    'sync',
  ])
    mkdirSync(join(conf, sub), { recursive: true });
  mkdirSync(join(dir, 'spool'));
  mkdirSync(join(dir, 'run'));
  const sasldb = join(dir, 'sasldb2');
  writeFileSync(
    join(dir, 'imapd.conf'),
    [
      `configdirectory: ${conf}`,
      `partition-default: ${dir}/spool`,
      'servername: localhost',
      'sasl_pwcheck_method: auxprop',
      'sasl_auxprop_plugin: sasldb',
      `sasl_sasldb_path: ${sasldb}`,
      'sasl_mech_list: PLAIN LOGIN',
      'allowplaintext: yes',
      'altnamespace: no',
      'unixhierarchysep: no',
      'autocreate_quota: 0',
      'autocreate_post: yes',
      `syslog_prefix: bounced-cyrus-${port}`,
      `idlesocket: ${dir}/run/idle`,
      `notifysocket: ${dir}/run/notify`,
      `lmtpsocket: ${dir}/run/lmtp`,
      `mboxname_lockpath: ${dir}/run/lock`,
      ...(options.suppress ? [`suppress_capabilities: ${options.suppress}`] : []),
      '',
    ].join('\n'),
  );
  writeFileSync(
    join(dir, 'cyrus.conf'),
    `START {\n  recover cmd="ctl_cyrusdb -r -C ${dir}/imapd.conf"\n}\n` +
      `SERVICES {\n  imap cmd="${IMAPD} -C ${dir}/imapd.conf" listen="127.0.0.1:${port}" prefork=0\n}\n` +
      'EVENTS {\n}\n',
  );
  execFileSync('chown', ['-R', `${uid}:${gid}`, dir]);
  const master: ChildProcess = spawn(
    MASTER,
    // In the foreground (no -d), so that it is this process's child to stop.
    ['-C', join(dir, 'imapd.conf'), '-M', join(dir, 'cyrus.conf'), '-p', join(dir, 'run/master.pid')],
    // cwd: its own folder, which the cyrus user can enter (the checkout may be private).
    { uid, gid, stdio: 'ignore', cwd: dir },
  );
  const info: ImapServerInfo = {
    kind: 'cyrus',
    host: '127.0.0.1',
    port,
    password: 'secret',
    addUser(user: string) {
      execFileSync('saslpasswd2', ['-c', '-p', '-f', sasldb, '-u', 'localhost', user], {
        input: `${this.password}\n`,
      });
      chownSync(sasldb, uid, gid);
    },
  };
  await waitForGreeting(port, master, 'cyrus master');
  return {
    ...info,
    async stop() {
      master.kill('SIGTERM');
      await new Promise((r) => (master.exitCode === null ? master.once('exit', r) : r(undefined)));
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
