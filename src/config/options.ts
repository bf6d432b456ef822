// Every configuration option, once. The defaults, the environment variable names, the
// validation and the README's reference all come from this table; config/bounced.yaml
// carries the same keys with comments (a test keeps the two in step).

export type OptionType = 'string' | 'integer' | 'boolean' | 'enum' | 'cron' | 'list';

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
export const VERP_MODES = ['off', 'record', 'enforce'] as const;
export const SCAN_MODES = ['schedule', 'idle'] as const;
export { OAUTH2_PROVIDERS } from '../mailbox/oauth2/settings.ts';
import { OAUTH2_PROVIDERS } from '../mailbox/oauth2/settings.ts';

export const OPTIONS: readonly OptionSpec[] = [
  {
    key: 'imap.name',
    type: 'string',
    default: 'default',
    doc: 'The mailbox\'s name in the database, the logs, the metrics and the digest (letters, digits, ".", "_", "-"). With a `mailboxes` list, each entry has its own.',
  },
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
  {
    key: 'imap.auth',
    type: 'enum',
    values: ['password', 'oauth2'],
    default: 'password',
    doc: 'password: imap.password (or a fixed imap.accessToken). oauth2: bounced gets and refreshes the access token itself from oauth2.provider.',
  },
  {
    key: 'oauth2.provider',
    type: 'enum',
    values: OAUTH2_PROVIDERS,
    doc: 'With imap.auth=oauth2: microsoft (Exchange Online, client credentials), google (a refresh token, or a service account with domain-wide delegation), generic (any token endpoint) or command (a program that prints a token).',
  },
  { key: 'oauth2.tenant', type: 'string', doc: 'microsoft: the directory (tenant) id or domain.' },
  { key: 'oauth2.clientId', type: 'string', doc: 'microsoft, google, generic: the application (client) id.' },
  {
    key: 'oauth2.clientSecret',
    type: 'string',
    secret: true,
    doc: 'microsoft, google, generic: the client secret. Use BOUNCED_OAUTH2_CLIENT_SECRET_FILE to read it from a file.',
  },
  {
    key: 'oauth2.certificateFile',
    type: 'string',
    doc: 'microsoft, instead of a secret: a PEM file with the certificate registered for the app and its private key.',
  },
  {
    key: 'oauth2.refreshToken',
    type: 'string',
    secret: true,
    doc: 'google, generic: the refresh token (generic without one uses client credentials).',
  },
  {
    key: 'oauth2.serviceAccountKeyFile',
    type: 'string',
    doc: "google: a service account's JSON key, with domain-wide delegation for https://mail.google.com/; it acts as imap.user.",
  },
  {
    key: 'oauth2.tokenUrl',
    type: 'string',
    doc: "generic: the token endpoint (https; http only to this machine). microsoft, google: replaces the provider's own (a sovereign cloud, a test).",
  },
  {
    key: 'oauth2.scope',
    type: 'string',
    doc: 'The scope to ask for. Default: https://outlook.office365.com/.default (microsoft), https://mail.google.com/ (google), none (generic).',
  },
  {
    key: 'oauth2.command',
    type: 'string',
    secret: true,
    doc: 'command: run by /bin/sh; prints an access token, or {"access_token", "expires_in"}. Run again when the token expires or is refused (with BOUNCED_OAUTH2_REFRESH=1).',
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
    key: 'imap.timeoutSeconds',
    type: 'integer',
    default: 60,
    min: 5,
    max: 3600,
    doc: 'Seconds the IMAP server may stay silent (connecting, greeting, or in any command) before the scan fails with exit 69.',
  },
  {
    key: 'verp.mode',
    type: 'enum',
    values: VERP_MODES,
    default: 'off',
    doc: 'Signed return paths: off; record (check every failure report, store the result, suppress as before); enforce (a failure whose return path is not validly signed for its recipient never suppresses).',
  },
  {
    key: 'verp.secret',
    type: 'list',
    secret: true,
    doc: 'HMAC keys for the return-path tags: a YAML list, or comma- or line-separated in the variable or its _FILE. The first signs; all verify, so keys can be rotated.',
  },
  {
    key: 'verp.format',
    type: 'string',
    default: 'bounces+{tag}-{local}={domain}@example.com',
    doc: "The return path, with {tag}, {local} and {domain} (the recipient's) filled in. Use your own bounce domain.",
  },
  {
    key: 'verp.maxAgeDays',
    type: 'integer',
    default: 30,
    min: 1,
    max: 3650,
    doc: 'A tag older than this many days does not verify (expired).',
  },
  {
    key: 'verp.sentLog',
    type: 'enum',
    values: VERP_MODES,
    default: 'off',
    doc: "Without VERP: record or enforce that the returned message's Message-ID is in the sent_messages table the sender writes (message_id, recipient, sent_at).",
  },
  {
    key: 'database.url',
    type: 'string',
    default: './data/bounced.sqlite',
    // A postgres URL may carry a password.
    secret: true,
    doc: 'SQLite database: a file path or a sqlite: URL (sqlite:/var/lib/bounced/db.sqlite). Or PostgreSQL, for several replicas: postgres://user:password@host:5432/database?schema=bounced. Use BOUNCED_DATABASE_URL_FILE to read it from a file.',
  },
  {
    key: 'scan.mode',
    type: 'enum',
    values: SCAN_MODES,
    default: 'schedule',
    doc: 'schedule: `bounced run` scans on scan.schedule. idle: it keeps a connection in IMAP IDLE (RFC 2177) and scans when mail arrives, reconnecting with backoff when the connection drops; on a server without IDLE it scans on scan.schedule instead.',
  },
  {
    key: 'scan.idleRefreshSeconds',
    type: 'integer',
    default: 1500,
    min: 1,
    max: 1740,
    doc: 'With scan.mode=idle: IDLE is ended and begun again this often, before the 30 minutes after which a server may drop it (RFC 2177 §3). At most 1740 (29 minutes).',
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
    key: 'scan.batchBytes',
    type: 'integer',
    default: 16 * 1024 * 1024,
    min: 64 * 1024,
    max: 1024 * 1024 * 1024,
    doc: 'A batch holds at most about this many bytes: its count adapts to the size of the messages seen so far (at most scan.batchSize).',
  },
  {
    key: 'scan.analysisWorkers',
    type: 'integer',
    default: 0,
    min: 0,
    max: 64,
    doc: 'Worker threads that analyse messages at once; 0: one per core but one, at least one, up to four.',
  },
  {
    key: 'scan.analysisTimeoutMs',
    type: 'integer',
    default: 2000,
    min: 1,
    max: 600_000,
    doc: 'Time budget for the analysis of one message, in milliseconds. A message over it goes to the review folder with the note "analysis exceeded N ms"; the scan goes on.',
  },
  {
    key: 'scan.maxMessageBytes',
    type: 'integer',
    default: 2 * 1024 * 1024,
    min: 64 * 1024,
    max: 256 * 1024 * 1024,
    doc: 'Bytes of each message fetched and analysed. Reports come first in a bounce, so a prefix is enough.',
  },
  {
    key: 'policy.softThreshold',
    type: 'integer',
    default: 3,
    min: 1,
    max: 1000,
    doc: 'Soft failures (mailbox full, greylisting, timeouts …) that suppress an address …',
  },
  {
    key: 'policy.softDistinctDays',
    type: 'integer',
    default: 2,
    min: 1,
    max: 365,
    doc: '… when they fall on at least this many distinct days (UTC) …',
  },
  {
    key: 'policy.softWindowDays',
    type: 'integer',
    default: 30,
    min: 1,
    max: 3650,
    doc: '… within this many days. A later success report, or a manual removal, starts the count again.',
  },
  {
    key: 'policy.suppressComplaints',
    type: 'boolean',
    default: true,
    doc: 'A spam complaint suppresses the address at once.',
  },
  {
    key: 'digest.schedule',
    type: 'cron',
    default: '0 6 * * *',
    doc: 'When `bounced run` sends the digest to ops, as a cron expression in digest.timezone.',
  },
  {
    key: 'digest.timezone',
    type: 'string',
    default: 'UTC',
    doc: 'IANA time zone of digest.schedule and of the dates in the digest.',
  },
  {
    key: 'digest.to',
    type: 'string',
    doc: 'Where the digest goes (comma-separated addresses). Required for digests.',
  },
  { key: 'digest.from', type: 'string', doc: "The digest's From address. Required for digests." },
  {
    key: 'digest.sendEmpty',
    type: 'boolean',
    default: false,
    doc: 'Send a digest even when nothing happened.',
  },
  {
    key: 'digest.sentCount',
    type: 'string',
    secret: true,
    doc: 'How many messages were sent in the period, for the bounce and complaint rates: an http(s) URL (GET with since= and until= added; answers a number or {"count": n}) or a shell command (run with BOUNCED_PERIOD_START and BOUNCED_PERIOD_END; prints a number). A secret: a URL may carry a token.',
  },
  { key: 'smtp.host', type: 'string', doc: 'SMTP server for the digest. Required for digests.' },
  {
    key: 'smtp.port',
    type: 'integer',
    min: 1,
    max: 65535,
    doc: 'SMTP port. Default: 465 for tls=implicit, 587 for starttls, 25 for none.',
  },
  {
    key: 'smtp.tls',
    type: 'enum',
    values: TLS_MODES,
    default: 'starttls',
    doc: 'implicit (SMTPS), starttls (upgrade required) or none (plaintext; only when chosen).',
  },
  { key: 'smtp.tlsVerify', type: 'boolean', default: true, doc: "Verify the SMTP server's certificate." },
  { key: 'smtp.ca', type: 'string', doc: 'PEM file of extra certificate authorities to trust for SMTP.' },
  { key: 'smtp.user', type: 'string', doc: 'SMTP login name; unset for no authentication.' },
  {
    key: 'smtp.password',
    type: 'string',
    secret: true,
    doc: 'SMTP password. Use BOUNCED_SMTP_PASSWORD_FILE to read it from a file.',
  },
  {
    key: 'http.listen',
    type: 'string',
    doc: 'Serve the HTTP API and /metrics on this host:port (e.g. 127.0.0.1:8025) in `bounced run` and `bounced serve`. Unset: no HTTP server.',
  },
  {
    key: 'http.token',
    type: 'string',
    secret: true,
    doc: 'The bearer token every /v1 route requires (at least 16 characters). Required with http.listen. Use BOUNCED_HTTP_TOKEN_FILE to read it from a file.',
  },
  {
    key: 'health.maxScanAgeMinutes',
    type: 'integer',
    default: 30,
    min: 1,
    max: 100000,
    doc: '`bounced health` fails when the last successful scan is older than this.',
  },
  {
    key: 'daemon.stopTimeoutSeconds',
    type: 'integer',
    default: 30,
    min: 1,
    max: 3600,
    doc: 'On SIGTERM/SIGINT, how long the daemon waits for the step in hand before it exits.',
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
