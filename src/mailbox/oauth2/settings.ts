export const OAUTH2_PROVIDERS = ['microsoft', 'google', 'generic', 'command'] as const;
export type OAuth2Provider = (typeof OAUTH2_PROVIDERS)[number];

/** What a provider needs; which of these are required depends on the provider (load-config checks). */
export interface OAuth2Settings {
  readonly provider: OAuth2Provider;
  /** The IMAP user: the mailbox (Google's service account acts as this user). */
  readonly user: string;
  readonly tenant?: string;
  readonly clientId?: string;
  readonly clientSecret?: string;
  /** PEM file holding the certificate and its private key (Microsoft, instead of a secret). */
  readonly certificateFile?: string;
  readonly refreshToken?: string;
  /** Google service account key (JSON), with domain-wide delegation. */
  readonly serviceAccountKeyFile?: string;
  /** The token endpoint: required for generic; replaces Google's or Microsoft's for a private deployment or a test. */
  readonly tokenUrl?: string;
  readonly scope?: string;
  /** command: a program that prints an access token (or {"access_token", "expires_in"}). */
  readonly command?: string;
}

/** Each provider's scope for IMAP. */
export const DEFAULT_SCOPES: Record<OAuth2Provider, string | undefined> = {
  microsoft: 'https://outlook.office365.com/.default',
  google: 'https://mail.google.com/',
  generic: undefined,
  command: undefined,
};
