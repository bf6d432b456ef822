import { readFileSync } from 'node:fs';
import { ConfigError, type MailboxConfig } from './config.ts';
import { OPTIONS, type OptionSpec } from './options.ts';
import { coerce, readEnv, type Value } from './values.ts';

// The `mailboxes:` list: several mailboxes, each with its own server, credentials, folders
// and schedule or IDLE. An entry's unset keys come from the `imap:`, `oauth2:` and `scan:`
// blocks (their values or defaults), so what all share is written once.

/** What an entry may set, and the option whose type and doc it takes. */
const ENTRY_KEYS: ReadonlyMap<string, string> = new Map([
  ...[
    'name',
    'host',
    'port',
    'tls',
    'tlsVerify',
    'ca',
    'user',
    'password',
    'accessToken',
    'auth',
    'folder',
    'processedFolder',
    'reviewFolder',
    'timeoutSeconds',
  ].map((k) => [k, `imap.${k}`] as const),
  ...['mode', 'schedule', 'idleRefreshSeconds'].map((k) => [k, `scan.${k}`] as const),
  ...OPTIONS.filter((o) => o.key.startsWith('oauth2.')).map((o) => [o.key, o.key] as const),
]);

const NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

/** A mailbox's secret from the environment: `eu-bounces` + `oauth2.clientSecret` (its entry key) → BOUNCED_MAILBOX_EU_BOUNCES_OAUTH2_CLIENT_SECRET. */
export function mailboxEnvName(mailbox: string, key: string): string {
  const part = (s: string) =>
    s
      .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
      .replace(/[^A-Za-z0-9]+/g, '_')
      .toUpperCase();
  return `BOUNCED_MAILBOX_${part(mailbox)}_${key.split('.').map(part).join('_')}`;
}

/** The secret options an entry takes from the environment (and as `<key>File` in the file). */
export const ENTRY_SECRETS = [...ENTRY_KEYS].filter(([, key]) => spec(key).secret).map(([k]) => k);

function spec(key: string): OptionSpec {
  return OPTIONS.find((o) => o.key === key)!;
}

/** `imap.x`, `oauth2.x`, `scan.x`: the merged values of the file, the environment and the defaults. */
export type TopValues = ReadonlyMap<string, Value>;

/**
 * The `imap:` block as the one mailbox (no `mailboxes:` list), or each entry of the list over
 * the blocks' values. Every error names the entry's key (`mailboxes[1].port`), never a value
 * of a secret.
 */
export function mailboxesOf(
  list: unknown,
  file: string | undefined,
  top: TopValues,
  env: NodeJS.ProcessEnv,
  /** imap.port was set (not derived from imap.tls): it applies to every entry. */
  imapPortSet: boolean,
): MailboxConfig[] {
  if (list === undefined) {
    const name = String(top.get('imap.name'));
    if (!NAME.test(name))
      throw new ConfigError(
        'imap.name',
        `imap.name: expected letters, digits, ".", "_" or "-" (at most 64), got ${JSON.stringify(name)}`,
      );
    return [fromValues('imap', top, top)];
  }
  if (!Array.isArray(list) || list.length === 0)
    throw new ConfigError(
      'mailboxes',
      `mailboxes in ${file}: expected a list of mailboxes, each with a name`,
    );
  const out: MailboxConfig[] = [];
  list.forEach((entry: unknown, i) => {
    const at = `mailboxes[${i}]`;
    if (typeof entry !== 'object' || entry === null || Array.isArray(entry))
      throw new ConfigError(at, `${at} in ${file} must be a mapping (name, host, user, …)`);
    const own = new Map<string, Value>();
    const raw = flattenEntry(entry as Record<string, unknown>);
    for (const [k, value] of raw) {
      const isFile = k.endsWith('File') && ENTRY_SECRETS.includes(k.slice(0, -4));
      const name = isFile ? k.slice(0, -4) : k;
      const option = ENTRY_KEYS.get(name);
      if (!option) throw new ConfigError(`${at}.${k}`, `unknown key ${at}.${k} in ${file}`);
      if (value === null || value === undefined) continue;
      const named = { ...spec(option), key: `${at}.${name}` };
      if (isFile) own.set(option, coerce(named, readSecretFile(`${at}.${k}`, value), `from ${at}.${k}`));
      else own.set(option, coerce(named, value, `in ${file}`));
    }
    const name = own.get('imap.name');
    if (typeof name !== 'string')
      throw new ConfigError(`${at}.name`, `${at}.name is required in ${file}: every mailbox has a name`);
    if (!NAME.test(name))
      throw new ConfigError(
        `${at}.name`,
        `${at}.name in ${file}: expected letters, digits, ".", "_" or "-" (at most 64), got ${JSON.stringify(name)}`,
      );
    if (out.some((m) => m.name === name))
      // The name keys the mailbox's state in the database: two entries cannot share it.
      throw new ConfigError(
        `${at}.name`,
        `${at}.name in ${file}: the name ${JSON.stringify(name)} is taken twice`,
      );
    for (const key of ENTRY_SECRETS) {
      const option = ENTRY_KEYS.get(key)!;
      const fromEnv = readEnv({ ...spec(option), key: `${at}.${key}` }, env, mailboxEnvName(name, key));
      if (fromEnv)
        own.set(option, coerce({ ...spec(option), key: `${at}.${key}` }, fromEnv.raw, fromEnv.source));
    }
    // The port follows the entry's own tls when neither it nor imap.port says otherwise.
    if (!own.has('imap.port') && own.has('imap.tls') && !imapPortSet)
      own.set('imap.port', own.get('imap.tls') === 'implicit' ? 993 : 143);
    out.push(fromValues(at, own, top));
  });
  return out;
}

/** Entry keys as dotted paths: `oauth2: {provider}` → `oauth2.provider`. */
function flattenEntry(entry: Record<string, unknown>): Map<string, unknown> {
  const out = new Map<string, unknown>();
  for (const [k, v] of Object.entries(entry)) {
    if (k === 'oauth2' && typeof v === 'object' && v !== null && !Array.isArray(v))
      for (const [k2, v2] of Object.entries(v)) out.set(`oauth2.${k2}`, v2);
    else out.set(k, v);
  }
  return out;
}

function readSecretFile(key: string, path: unknown): string {
  if (typeof path !== 'string') throw new ConfigError(key, `${key}: expected a file path`);
  try {
    return readFileSync(path, 'utf8').replace(/\r?\n$/, '');
  } catch (err) {
    throw new ConfigError(key, `${key}: cannot read ${path}: ${(err as NodeJS.ErrnoException).code}`);
  }
}

function fromValues(keys: string, own: TopValues, top: TopValues): MailboxConfig {
  const get = (key: string) => (own.has(key) ? own.get(key) : top.get(key));
  const section = (prefix: string) =>
    Object.freeze(
      Object.fromEntries(
        OPTIONS.filter((o) => o.key.startsWith(`${prefix}.`))
          .map((o) => [o.key.slice(prefix.length + 1), get(o.key)] as const)
          .filter(([, v]) => v !== undefined),
      ),
    );
  const imap = section('imap') as unknown as MailboxConfig['imap'];
  const scan = section('scan') as Record<string, unknown>;
  return Object.freeze({
    name: imap.name,
    keys,
    imap,
    oauth2: section('oauth2') as unknown as MailboxConfig['oauth2'],
    scan: Object.freeze({
      mode: scan.mode,
      schedule: scan.schedule,
      idleRefreshSeconds: scan.idleRefreshSeconds,
    }) as MailboxConfig['scan'],
  });
}
