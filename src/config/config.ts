import type { OAuth2Provider, OAuth2Settings } from '../mailbox/oauth2/settings.ts';
import type { LOG_LEVELS, SCAN_MODES, TLS_MODES, VERP_MODES } from './options.ts';

export type TlsMode = (typeof TLS_MODES)[number];
export type LogLevel = (typeof LOG_LEVELS)[number];
export type VerpMode = (typeof VERP_MODES)[number];

/** How to reach and log into a server: the IMAP mailbox and the digest's SMTP server alike. */
export interface ServerConnection {
  readonly host?: string;
  readonly port: number;
  readonly tls: TlsMode;
  readonly tlsVerify: boolean;
  readonly ca?: string;
  readonly user?: string;
  readonly password?: string;
}

export interface ImapConfig extends ServerConnection {
  /** The mailbox's name in the store, the logs, the metrics and the digest. */
  readonly name: string;
  readonly auth: 'password' | 'oauth2';
  readonly accessToken?: string;
  readonly folder: string;
  readonly processedFolder: string;
  readonly reviewFolder: string;
  readonly timeoutSeconds: number;
}

export type OAuth2Config = Omit<OAuth2Settings, 'provider' | 'user'> & { readonly provider?: OAuth2Provider };

/** One mailbox to scan: its server, credentials, folders and when it is scanned. */
export interface MailboxConfig {
  readonly name: string;
  /** Its keys as errors name them: `imap` (the shorthand) or `mailboxes[1]`. */
  readonly keys: string;
  readonly imap: ImapConfig;
  readonly oauth2: OAuth2Config;
  readonly scan: {
    readonly mode: (typeof SCAN_MODES)[number];
    readonly schedule: string;
    readonly idleRefreshSeconds: number;
  };
}

/** The validated configuration. Frozen after loading. */
export interface Config {
  /** The one mailbox of the shorthand; with `mailboxes`, the defaults of every entry. */
  readonly imap: ImapConfig;
  readonly oauth2: OAuth2Config;
  /** Every mailbox to scan: the `mailboxes` list, or the `imap` block as the one entry. */
  readonly mailboxes: readonly MailboxConfig[];
  readonly database: { readonly url: string };
  readonly verp: {
    readonly mode: VerpMode;
    readonly secret?: readonly string[];
    readonly format: string;
    readonly maxAgeDays: number;
    readonly sentLog: VerpMode;
  };
  readonly scan: {
    readonly mode: (typeof SCAN_MODES)[number];
    readonly idleRefreshSeconds: number;
    readonly schedule: string;
    readonly batchSize: number;
    readonly batchBytes: number;
    readonly analysisWorkers: number;
    readonly analysisTimeoutMs: number;
    readonly maxMessageBytes: number;
  };
  readonly policy: {
    readonly softThreshold: number;
    readonly softDistinctDays: number;
    readonly softWindowDays: number;
    readonly suppressComplaints: boolean;
  };
  readonly digest: {
    readonly schedule: string;
    readonly timezone: string;
    readonly to?: string;
    readonly from?: string;
    readonly sendEmpty: boolean;
    readonly sentCount?: string;
  };
  readonly smtp: ServerConnection;
  readonly http: { readonly listen?: string; readonly token?: string };
  readonly health: { readonly maxScanAgeMinutes: number };
  readonly daemon: { readonly stopTimeoutSeconds: number };
  readonly log: { readonly level: LogLevel };
}

export class ConfigError extends Error {
  readonly code = 'ECONFIG';
  constructor(
    readonly key: string,
    message: string,
  ) {
    super(message);
    this.name = 'ConfigError';
  }
}
