import { readFileSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';
import { type Config, ConfigError, type MailboxConfig } from './config.ts';
import { ENTRY_SECRETS, mailboxEnvName, mailboxesOf } from './mailboxes.ts';
import { coerce, readEnv, type Value } from './values.ts';
import { closest as closestWord, distance } from 'fastest-levenshtein';
import { parseMailbox } from '../parse/address.ts';
import { isPostgresUrl, postgresTarget, sqliteFileOf } from './database-url.ts';
import { envName, OPTIONS } from './options.ts';

export interface LoadConfigOptions {
  /** A YAML file given with --config (or BOUNCED_CONFIG). */
  readonly file?: string;
  readonly env?: NodeJS.ProcessEnv;
  /**
   * Told of each BOUNCED_* variable that is no option (a typo, usually). A warning, not an
   * error: other tools share the environment.
   */
  readonly warn?: (message: string) => void;
}

/**
 * Layers: built-in defaults, then the file, then BOUNCED_* variables (and BOUNCED_*_FILE
 * for secrets). Every error names the key, where the value came from and what is expected;
 * a secret's value is never repeated.
 */
export function loadConfig(options: LoadConfigOptions = {}): Config {
  const env = options.env ?? process.env;
  const values = new Map<string, Value>();
  const sources = new Map<string, string>();
  for (const spec of OPTIONS) if (spec.default !== undefined) values.set(spec.key, spec.default);

  const file = options.file ?? env.BOUNCED_CONFIG;
  const fromFile = file ? readFileValues(file) : { values: new Map<string, Value>(), mailboxes: undefined };
  for (const [key, value] of fromFile.values) {
    values.set(key, value);
    sources.set(key, `in ${file}`);
  }

  for (const spec of OPTIONS) {
    const fromEnv = readEnv(spec, env);
    if (fromEnv) {
      values.set(spec.key, coerce(spec, fromEnv.raw, fromEnv.source));
      sources.set(spec.key, fromEnv.source);
    }
  }
  const from = (key: string) => sources.get(key) ?? 'the default';

  const imapPortSet = values.has('imap.port');
  const port = values.get('imap.port') ?? (values.get('imap.tls') === 'implicit' ? 993 : 143);
  values.set('imap.port', port);
  const smtpTls = values.get('smtp.tls');
  values.set(
    'smtp.port',
    values.get('smtp.port') ?? (smtpTls === 'implicit' ? 465 : smtpTls === 'none' ? 25 : 587),
  );
  const timezone = String(values.get('digest.timezone'));
  try {
    new Intl.DateTimeFormat('en', { timeZone: timezone });
  } catch {
    throw new ConfigError(
      'digest.timezone',
      `digest.timezone (${from('digest.timezone')}): expected an IANA time zone such as Europe/Paris, got "${timezone}"`,
    );
  }
  for (const key of ['digest.to', 'digest.from']) {
    const value = values.get(key);
    if (typeof value !== 'string') continue;
    // digest.to may list several recipients: "ops@example.com, oncall@example.com".
    for (const part of key === 'digest.to' ? value.split(',') : [value]) {
      const parsed = parseMailbox(part);
      if ('problem' in parsed)
        throw new ConfigError(
          key,
          `${key} (${from(key)}): ${JSON.stringify(part.trim())} is not an email address: ${parsed.problem}`,
        );
    }
  }
  const url = String(values.get('database.url'));
  const database = isPostgresUrl(url) ? postgresTarget(url) : sqliteFileOf(url);
  if ('problem' in database)
    throw new ConfigError('database.url', `database.url (${from('database.url')}): ${database.problem}`);
  const listen = values.get('http.listen');
  if (typeof listen === 'string') {
    const port = /^(?:\[[0-9a-fA-F:.]+\]|[^\s:[\]]*):(\d{1,5})$/.exec(listen)?.[1];
    if (port === undefined || Number(port) > 65535)
      throw new ConfigError(
        'http.listen',
        `http.listen (${from('http.listen')}): expected host:port such as 127.0.0.1:8025, got ${JSON.stringify(listen)}`,
      );
    const token = values.get('http.token');
    if (typeof token !== 'string' || token === '')
      throw new ConfigError(
        'http.token',
        `http.token is required when http.listen is set: set ${envName('http.token')}, ${envName('http.token')}_FILE or the config file`,
      );
    if (token.length < 16)
      throw new ConfigError(
        'http.token',
        `http.token (${from('http.token')}) is too short: use at least 16 characters (e.g. openssl rand -hex 32)`,
      );
  }
  const mailboxes = mailboxesOf(fromFile.mailboxes, file, values, env, imapPortSet);
  for (const message of unknownVariables(env, mailboxes)) options.warn?.(message);
  const config = build(values, mailboxes);
  if (config.verp.mode !== 'off' && !config.verp.secret?.length)
    throw new ConfigError(
      'verp.secret',
      `verp.secret is required when verp.mode is ${config.verp.mode}: set ${envName('verp.secret')}, ${envName('verp.secret')}_FILE or the config file`,
    );
  if (!['{tag}', '{local}', '{domain}'].every((f) => config.verp.format.includes(f)))
    throw new ConfigError('verp.format', 'verp.format must contain {tag}, {local} and {domain}');
  return config;
}

function readFileValues(file: string): { values: Map<string, Value>; mailboxes: unknown } {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new ConfigError(
      'config',
      `cannot read config file ${file}: ${(err as NodeJS.ErrnoException).code}`,
    );
  }
  let doc: unknown;
  try {
    doc = parseYaml(text);
  } catch (err) {
    throw new ConfigError('config', yamlErrorLine(file, text, err));
  }
  const out = new Map<string, Value>();
  if (doc === null || doc === undefined) return { values: out, mailboxes: undefined };
  // The list of mailboxes is read apart (mailboxes.ts); everything else is one option a key.
  let mailboxes: unknown;
  if (typeof doc === 'object' && !Array.isArray(doc) && 'mailboxes' in doc) {
    ({ mailboxes, ...doc } = doc as Record<string, unknown>);
    if (mailboxes === null) mailboxes = undefined;
  }
  const unknown: string[] = [];
  flatten(doc, '', file, out, unknown);
  if (unknown.length)
    throw new ConfigError(
      unknown[0]!,
      `unknown config ${unknown.length === 1 ? 'key' : 'keys'} in ${file}: ${unknown.map((k) => withSuggestion(k, OPTION_KEYS)).join(', ')}`,
    );
  return { values: out, mailboxes };
}

const OPTION_KEYS = OPTIONS.map((o) => o.key);

/**
 * "imap.hots (did you mean imap.host?)", when a known name is close enough. PREFIX, shared
 * by every name (BOUNCED_), is left out of the comparison.
 */
function withSuggestion(name: string, known: readonly string[], prefix = ''): string {
  const strip = (n: string) => n.slice(prefix.length).toLowerCase();
  const word = strip(name);
  const best = closestWord(word, known.map(strip));
  // A third of the name may differ: "imap.hots" finds imap.host, "colour" finds nothing.
  const near = best !== undefined && distance(word, best) <= Math.max(1, Math.floor(word.length / 3));
  const original = near ? known.find((k) => strip(k) === best) : undefined;
  return original ? `${name} (did you mean ${original}?)` : name;
}

/** BOUNCED_* variables that are no option, no option's _FILE and not BOUNCED_CONFIG. */
function unknownVariables(env: NodeJS.ProcessEnv, mailboxes: readonly MailboxConfig[]): string[] {
  const known = new Set(['BOUNCED_CONFIG']);
  for (const key of OPTION_KEYS) {
    known.add(envName(key));
    known.add(`${envName(key)}_FILE`);
  }
  // A listed mailbox's secrets: BOUNCED_MAILBOX_<NAME>_PASSWORD and the like.
  if (mailboxes.length > 1 || mailboxes[0]?.keys !== 'imap')
    for (const m of mailboxes)
      for (const key of ENTRY_SECRETS) {
        const name = mailboxEnvName(m.name, key);
        known.add(name);
        known.add(`${name}_FILE`);
      }
  const names = [...known];
  return Object.keys(env)
    .filter((name) => name.startsWith('BOUNCED_') && !known.has(name))
    .sort()
    .map((name) => `unknown variable ${withSuggestion(name, names, 'BOUNCED_')} is ignored`);
}

function flatten(
  node: unknown,
  prefix: string,
  file: string,
  out: Map<string, Value>,
  unknown: string[],
): void {
  if (typeof node !== 'object' || node === null || Array.isArray(node)) {
    throw new ConfigError(prefix || 'config', `${prefix || 'the top level'} in ${file} must be a mapping`);
  }
  for (const [name, value] of Object.entries(node)) {
    const key = prefix ? `${prefix}.${name}` : name;
    const spec = OPTIONS.find((o) => o.key === key);
    if (spec) {
      if (value === null || value === undefined) continue;
      out.set(key, coerce(spec, value, `in ${file}`));
    } else if (OPTIONS.some((o) => o.key.startsWith(`${key}.`))) {
      if (value !== null) flatten(value, key, file, out, unknown);
    } else {
      unknown.push(key);
    }
  }
}

function build(values: Map<string, Value>, mailboxes: readonly MailboxConfig[]): Config {
  const root: Record<string, Record<string, Value>> = {};
  // Every section exists, even one whose options are all unset (http without http.listen).
  for (const spec of OPTIONS) root[spec.key.split('.')[0]!] ??= {};
  for (const [key, value] of values) {
    const [section, name] = key.split('.') as [string, string];
    root[section] ??= {};
    root[section][name] = value;
  }
  for (const section of Object.values(root)) Object.freeze(section);
  return Object.freeze({ ...root, mailboxes: Object.freeze([...mailboxes]) }) as unknown as Config;
}

/** Sending a digest needs an SMTP server and both addresses. */
export function requireDigest(config: Config): void {
  for (const key of ['smtp.host', 'digest.to', 'digest.from'] as const) {
    const [section, name] = key.split('.') as ['smtp' | 'digest', 'host' | 'to' | 'from'];
    const value = (config[section] as Record<string, unknown>)[name];
    if (!value)
      throw new ConfigError(
        key,
        `${key} is required to send a digest: set it in the config file or ${envName(key)}`,
      );
  }
}

/** The scan and the daemon need a mailbox; `parse` and `migrate` do not. Checks every one. */
export function requireMailbox(config: Config): void {
  for (const mailbox of config.mailboxes) requireOne(mailbox);
}

/**
 * One mailbox's server, user and credentials, each missing key named as it is written: `imap.host`
 * for the shorthand, `mailboxes[1].host` in a list (whose variables are BOUNCED_MAILBOX_<NAME>_*).
 */
function requireOne(m: MailboxConfig): void {
  const listed = m.keys !== 'imap';
  const where = (key: string, option: string) =>
    listed
      ? `set it in the entry${ENTRY_SECRETS.includes(key) ? ` (or ${key}File, or ${mailboxEnvName(m.name, key)})` : ''}`
      : `set it in the config file or ${envName(option)}`;
  for (const key of ['host', 'user'] as const) {
    if (!m.imap[key])
      throw new ConfigError(`${m.keys}.${key}`, `${m.keys}.${key} is required: ${where(key, `imap.${key}`)}`);
  }
  if (m.imap.auth === 'oauth2') return requireOAuth2(m, where);
  if (!m.imap.password && !m.imap.accessToken) {
    const set = listed
      ? `set password or passwordFile in the entry, or ${mailboxEnvName(m.name, 'password')}`
      : 'set BOUNCED_IMAP_PASSWORD, BOUNCED_IMAP_PASSWORD_FILE or the config file';
    throw new ConfigError(
      `${m.keys}.password`,
      `${m.keys}.password (or ${m.keys}.accessToken, or ${m.keys}.auth=oauth2) is required: ${set}`,
    );
  }
}

/** imap.auth=oauth2: the provider, and what it needs, each missing key named. */
function requireOAuth2(m: MailboxConfig, where: (key: string, option: string) => string): void {
  const o = m.oauth2;
  const prefix = m.keys === 'imap' ? 'oauth2' : `${m.keys}.oauth2`;
  const need = (key: keyof typeof o, why: string) => {
    if (!o[key])
      throw new ConfigError(
        `${prefix}.${key}`,
        `${prefix}.${key} is required ${why}: ${where(`oauth2.${key}`, `oauth2.${key}`)}`,
      );
  };
  need('provider', `when ${m.keys}.auth is oauth2 (microsoft, google, generic or command)`);
  const p = `for ${prefix}.provider=${o.provider}`;
  if (o.provider === 'microsoft') {
    if (!o.tokenUrl) need('tenant', p);
    need('clientId', p);
    if (!o.certificateFile) need('clientSecret', `${p} (or ${prefix}.certificateFile)`);
  } else if (o.provider === 'google') {
    if (!o.serviceAccountKeyFile) {
      need('refreshToken', `${p} (or ${prefix}.serviceAccountKeyFile)`);
      need('clientId', p);
      need('clientSecret', p);
    }
  } else if (o.provider === 'generic') {
    need('tokenUrl', p);
    need('clientId', p);
  } else if (o.provider === 'command') {
    need('command', p);
  }
  if (o.tokenUrl) {
    let url: URL | undefined;
    try {
      url = new URL(o.tokenUrl);
    } catch {
      url = undefined;
    }
    const local = url && /^(localhost|127\.[\d.]+|\[::1\])$/.test(url.hostname);
    if (!url || !(url.protocol === 'https:' || (url.protocol === 'http:' && local)))
      throw new ConfigError(
        `${prefix}.tokenUrl`,
        `${prefix}.tokenUrl must be an https URL (http only to this machine), got ${JSON.stringify(o.tokenUrl)}`,
      );
  }
}

/**
 * A YAML syntax error as one line: where and which key, never the source line (it may hold a
 * password). The yaml library's own message quotes the offending line, so it is not used.
 */
function yamlErrorLine(file: string, text: string, err: unknown): string {
  const e = err as { linePos?: readonly { line: number; col: number }[]; code?: string };
  const lines = text.split(/\r?\n/);
  // An unresolved alias ("password: *x") is reported without a position: find its line.
  const aliasAt = lines.findIndex((l) => /:\s*\*/.test(l));
  const pos =
    e.linePos?.[0] ??
    (aliasAt === -1 ? undefined : { line: aliasAt + 1, col: lines[aliasAt]!.indexOf('*') + 1 });
  if (!pos) return `config file ${file} is not valid YAML`;
  let key: string | undefined;
  for (let i = Math.min(pos.line, lines.length) - 1; i >= 0 && !key; i--) {
    key = /^\s*([A-Za-z_][\w.-]{0,63})\s*:/.exec(lines[i]!)?.[1];
  }
  const what = (e.code ?? (e.linePos ? 'syntax error' : 'unresolved alias')).toLowerCase().replace(/_/g, ' ');
  return `config file ${file} is not valid YAML: ${what} at line ${pos.line}, column ${pos.col}${key ? ` (near key ${key})` : ''}`;
}
