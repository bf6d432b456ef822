// A private Dovecot for one test run (or the demo): unprivileged ports on 127.0.0.1, its
// own directory, static passdb (any user name, one password), a fresh Maildir per user.
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { chmodSync, chownSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, Socket } from 'node:net';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';

export const DOVECOT_BIN = '/usr/sbin/dovecot';
export const PASSWORD = 'secret';

export interface DovecotOptions {
  /** Offer TLS (STARTTLS on the plain port and an IMAPS port). Default true. */
  readonly tls?: boolean;
  /** Replace the capability list after login, e.g. to play a server without MOVE. */
  readonly capabilities?: string;
  /**
   * Personal folders under this prefix, with "." as the hierarchy delimiter, as Courier and
   * Cyrus's standard namespace have them: `* NAMESPACE (("INBOX." "."))`.
   */
  readonly namespacePrefix?: string;
  /**
   * Also log in by OAuth2 (XOAUTH2, OAUTHBEARER): the oauth2 passdb, validating each token
   * at this URL (GET, the token as a bearer), the user being its `username`.
   */
  readonly oauth2IntrospectionUrl?: string;
  /** The CA to trust for an https introspection URL. */
  readonly oauth2CaFile?: string;
}

export interface DovecotInfo {
  readonly host: string;
  /** Plain port (STARTTLS offered when tls is on). */
  readonly port: number;
  /** IMAPS port, 0 when tls is off. */
  readonly imapsPort: number;
  readonly password: string;
  /** The self-signed certificate, to trust as a CA. */
  readonly caFile: string;
  readonly dir: string;
  readonly mailUid: number;
  readonly mailGid: number;
}

export interface Dovecot extends DovecotInfo {
  stop(): Promise<void>;
}

/** A self-signed certificate for localhost and 127.0.0.1 (PEM files), valid two days. */
export function selfSignedCertificate(keyFile: string, certFile: string): void {
  execFileSync(
    'openssl',
    [
      'req',
      '-x509',
      '-newkey',
      'ec',
      '-pkeyopt',
      'ec_paramgen_curve:prime256v1',
      '-nodes',
      '-days',
      '2',
      '-subj',
      '/CN=localhost',
      '-addext',
      'subjectAltName=DNS:localhost,IP:127.0.0.1',
      '-keyout',
      keyFile,
      '-out',
      certFile,
    ],
    { stdio: 'ignore' },
  );
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/** Who runs the mail processes: as root, `nobody` (Dovecot refuses uid 0); else ourselves. */
function identities() {
  const me = userInfo();
  if (me.uid !== 0) {
    return { login: me.username, internal: me.username, group: groupName(me.gid), uid: me.uid, gid: me.gid };
  }
  return { login: 'dovenull', internal: 'dovecot', group: 'dovecot', uid: 65534, gid: 65534 };
}

function groupName(gid: number): string {
  try {
    return execFileSync('getent', ['group', String(gid)], { encoding: 'utf8' }).split(':')[0] || String(gid);
  } catch {
    return String(gid);
  }
}

export async function startDovecot(options: DovecotOptions = {}): Promise<Dovecot> {
  if (!existsSync(DOVECOT_BIN)) {
    throw new Error(`${DOVECOT_BIN} not found: install Dovecot (apt-get install -y dovecot-imapd)`);
  }
  const tls = options.tls ?? true;
  const id = identities();
  const dir = mkdtempSync(join(tmpdir(), 'bounced-dovecot-'));
  chmodSync(dir, 0o755);
  for (const sub of ['run', 'state', 'mail']) mkdirSync(join(dir, sub));
  if (id.uid !== userInfo().uid) chownSync(join(dir, 'mail'), id.uid, id.gid);
  const caFile = join(dir, 'cert.pem');
  if (tls) selfSignedCertificate(join(dir, 'key.pem'), caFile);

  for (let attempt = 0; ; attempt++) {
    const port = await freePort();
    let imapsPort = tls ? await freePort() : 0;
    // Two look-ups of a free port can return the same one: Dovecot then refuses a
    // "duplicate listener".
    while (tls && imapsPort === port) imapsPort = await freePort();
    const conf = join(dir, 'dovecot.conf');
    if (options.oauth2IntrospectionUrl)
      writeFileSync(
        join(dir, 'dovecot-oauth2.conf.ext'),
        [
          // GET with the token as a bearer (as with Microsoft Graph's /me), and its answer's
          // username must be the login's.
          'introspection_mode = auth',
          `introspection_url = ${options.oauth2IntrospectionUrl}`,
          'force_introspection = yes',
          'username_attribute = username',
          'active_attribute = active',
          'active_value = true',
          ...(options.oauth2CaFile ? [`tls_ca_cert_file = ${options.oauth2CaFile}`] : []),
          '',
        ].join('\n'),
      );
    writeFileSync(
      conf,
      config({
        dir,
        port,
        imapsPort,
        tls,
        id,
        capabilities: options.capabilities,
        namespacePrefix: options.namespacePrefix,
        oauth2IntrospectionUrl: options.oauth2IntrospectionUrl,
      }),
    );
    const child = spawn(DOVECOT_BIN, ['-F', '-c', conf], {
      detached: true,
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr?.on('data', (c: Buffer) => {
      stderr += c.toString();
    });
    child.unref();
    (child.stderr as unknown as { unref?: () => void })?.unref?.();
    const ready = await waitForLogin(port, child, 10_000);
    if (!ready) {
      await killGroup(child);
      if (attempt < 3 && /already in use/i.test(stderr + readLog(dir))) continue;
      const log = readLog(dir);
      rmSync(dir, { recursive: true, force: true });
      throw new Error(`dovecot did not start: ${stderr}\n${log}`);
    }
    return {
      host: '127.0.0.1',
      port,
      imapsPort,
      password: PASSWORD,
      caFile,
      dir,
      mailUid: id.uid,
      mailGid: id.gid,
      async stop() {
        await killGroup(child);
        rmSync(dir, { recursive: true, force: true });
      },
    };
  }
}

function readLog(dir: string): string {
  try {
    return execFileSync('tail', ['-n', '20', join(dir, 'dovecot.log')], { encoding: 'utf8' });
  } catch {
    return '';
  }
}

async function killGroup(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.pid === undefined) return;
  child.ref();
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  try {
    process.kill(-child.pid, 'SIGTERM');
  } catch {
    return;
  }
  const timer = setTimeout(() => {
    try {
      process.kill(-child.pid!, 'SIGKILL');
    } catch {
      // already gone
    }
  }, 5000);
  await exited;
  clearTimeout(timer);
}

/** Ready means a LOGIN succeeds, not just an open port: auth may still be starting. */
async function waitForLogin(port: number, child: ChildProcess, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) return false;
    if (await tryLogin(port)) return true;
    await new Promise((r) => setTimeout(r, 20));
  }
  return false;
}

function tryLogin(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = new Socket();
    let buffer = '';
    let sent = false;
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(1000, () => done(false));
    socket.once('error', () => done(false));
    socket.on('data', (chunk) => {
      buffer += chunk.toString();
      if (!sent && buffer.includes('* OK')) {
        sent = true;
        socket.write(`a LOGIN probe ${PASSWORD}\r\n`);
      } else if (/^a OK/m.test(buffer)) {
        socket.write('b LOGOUT\r\n');
        done(true);
      } else if (/^a (NO|BAD)/m.test(buffer)) {
        done(false);
      }
    });
    socket.connect(port, '127.0.0.1');
  });
}

interface ConfigInput {
  dir: string;
  port: number;
  imapsPort: number;
  tls: boolean;
  id: ReturnType<typeof identities>;
  capabilities?: string;
  namespacePrefix?: string;
  oauth2IntrospectionUrl?: string;
}

function config(c: ConfigInput): string {
  return `
base_dir = ${c.dir}/run
state_dir = ${c.dir}/state
instance_name = bounced-test-${c.port}
log_path = ${c.dir}/dovecot.log
info_log_path = ${c.dir}/dovecot.log
protocols = imap
listen = 127.0.0.1
default_internal_user = ${c.id.internal}
default_internal_group = ${c.id.group}
default_login_user = ${c.id.login}
first_valid_uid = ${c.id.uid}
last_valid_uid = ${c.id.uid}
first_valid_gid = ${c.id.gid}
disable_plaintext_auth = no
auth_mechanisms = plain login${c.oauth2IntrospectionUrl ? ' xoauth2 oauthbearer' : ''}
auth_failure_delay = 0
${c.tls ? `ssl = yes\nssl_cert = <${c.dir}/cert.pem\nssl_key = <${c.dir}/key.pem` : 'ssl = no'}
${
  c.oauth2IntrospectionUrl
    ? `passdb {
  driver = oauth2
  mechanisms = xoauth2 oauthbearer
  args = ${c.dir}/dovecot-oauth2.conf.ext
}
`
    : ''
}passdb {
  driver = static
  args = password=${PASSWORD}
${c.oauth2IntrospectionUrl ? '  mechanisms = plain login\n' : ''}}
userdb {
  driver = static
  args = uid=${c.id.uid} gid=${c.id.gid} home=${c.dir}/mail/%u
}
mail_location = maildir:~/Maildir
mail_fsync = never
namespace inbox {
  inbox = yes
${
  c.namespacePrefix
    ? `  prefix = ${c.namespacePrefix}
  separator = .`
    : '  separator = /'
}
}
service imap-login {
  chroot =
  inet_listener imap {
    address = 127.0.0.1
    port = ${c.port}
  }
  inet_listener imaps {
    address = 127.0.0.1
    port = ${c.imapsPort}
    ssl = yes
  }
}
service anvil {
  chroot =
  unix_listener anvil-auth-penalty {
    mode = 0
  }
}
service stats {
  chroot =
}
service auth-worker {
  user = $default_internal_user
}
protocol imap {
  mail_max_userip_connections = 100
${c.capabilities ? `  imap_capability = ${c.capabilities}\n` : ''}}
`;
}
