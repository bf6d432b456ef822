// Every configuration option, once. The defaults, the environment variable names, the
// validation and the README's reference all come from this table; config/bounced.yaml
// carries the same keys with comments (a test keeps the two in step).

export type OptionType = 'string' | 'integer' | 'boolean' | 'enum' | 'cron';

export interface OptionSpec {
  /** Dotted key path as written in the config file, e.g. `imap.processedFolder`. */
  readonly key: string;
  readonly type: OptionType;
  /** Undefined means "no default": the option is unset unless the user sets it. */
  readonly default?: string | number | boolean;
  readonly values?: readonly string[];
  readonly min?: number;
  readonly max?: number;
  /** Never logged, never echoed in an error. */
  readonly secret?: boolean;
  readonly doc: string;
}

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export const TLS_MODES = ['implicit', 'starttls', 'none'] as const;

export const OPTIONS: readonly OptionSpec[] = [
  { key: 'imap.host', type: 'string', doc: 'IMAP server host name. Required for scan and run.' },
  {
    key: 'imap.port',
    type: 'integer',
    min: 1,
    max: 65535,
    doc: 'IMAP port. Default: 993 for tls=implicit, 143 otherwise.',
  },
  {
    key: 'imap.tls',
    type: 'enum',
    values: TLS_MODES,
    default: 'implicit',
    doc: 'implicit (IMAPS), starttls (upgrade required; refuses a server that does not offer it) or none (plaintext: only when chosen).',
  },
  {
    key: 'imap.tlsVerify',
    type: 'boolean',
    default: true,
    doc: "Verify the server's certificate. Turn off only for a server you trust on a private network.",
  },
  {
    key: 'imap.ca',
    type: 'string',
    doc: 'Path to a PEM file of extra certificate authorities to trust (for a private CA).',
  },
  { key: 'imap.user', type: 'string', doc: 'IMAP user name. Required for scan and run.' },
  {
    key: 'imap.password',
    type: 'string',
    secret: true,
    doc: 'IMAP password. Use BOUNCED_IMAP_PASSWORD_FILE to read it from a file.',
  },
  {
    key: 'imap.accessToken',
    type: 'string',
    secret: true,
    doc: 'OAuth2 access token (XOAUTH2/OAUTHBEARER), instead of a password.',
  },
  { key: 'imap.folder', type: 'string', default: 'INBOX', doc: 'The folder bounces arrive in.' },
  {
    key: 'imap.processedFolder',
    type: 'string',
    default: 'Processed',
    doc: 'Where understood messages are moved. Created when missing.',
  },
  {
    key: 'imap.reviewFolder',
    type: 'string',
    default: 'Unrecognized',
    doc: 'Where messages that are not understood are moved for a person to read. Created when missing.',
  },
  {
    key: 'database.url',
    type: 'string',
    default: './data/bounced.sqlite',
    doc: 'SQLite database: a file path or a sqlite: URL (sqlite:/var/lib/bounced/db.sqlite).',
  },
  {
    key: 'scan.schedule',
    type: 'cron',
    default: '*/5 * * * *',
    doc: 'When `bounced run` scans, as a cron expression (minute hour day month weekday).',
  },
  {
    key: 'scan.batchSize',
    type: 'integer',
    default: 100,
    min: 1,
    max: 5000,
    doc: 'Messages fetched, stored (one transaction) and moved per batch. Bounds memory.',
  },
  {
    key: 'scan.maxMessageBytes',
    type: 'integer',
    default: 2 * 1024 * 1024,
    min: 64 * 1024,
    max: 256 * 1024 * 1024,
    doc: 'Bytes of each message fetched and analysed. Reports come first in a bounce, so a prefix is enough.',
  },
  { key: 'log.level', type: 'enum', values: LOG_LEVELS, default: 'info', doc: 'Log level.' },
];

/** `imap.processedFolder` → `BOUNCED_IMAP_PROCESSED_FOLDER` */
export function envName(key: string): string {
  return `BOUNCED_${key
    .split('.')
    .map((part) => part.replace(/([a-z0-9])([A-Z])/g, '$1_$2'))
    .join('_')
    .toUpperCase()}`;
}
