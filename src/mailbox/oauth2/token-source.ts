/** An access token and when it stops working. */
export interface IssuedToken {
  readonly accessToken: string;
  /** Unknown (a `command` that prints a bare token): used until the server refuses it. */
  readonly expiresAt?: Date;
}

/** Where the IMAP login gets its OAuth2 access token (XOAUTH2 / OAUTHBEARER). */
export interface TokenSource {
  /** The provider's name, for errors and logs: microsoft, google, generic or command. */
  readonly provider: string;
  /** A token that is valid for at least a minute more; fetched anew when it is not. */
  token(): Promise<string>;
  /** The server refused the token (revoked, or expired early): the next token() fetches anew. */
  invalidate(): void;
}

/** A token obtained from the provider failed: names the provider and why, never the secret. */
export class TokenError extends Error {
  readonly code = 'ETOKEN';
  constructor(
    readonly provider: string,
    message: string,
    options?: ErrorOptions,
  ) {
    super(message, options);
    this.name = 'TokenError';
  }
}

/**
 * Refreshed this long before it expires, so that a login never presents a dying token: a
 * minute, or a tenth of its lifetime for a token that lives less than ten minutes.
 */
const MARGIN_MS = 60_000;

/**
 * Keeps the provider's last token in memory (never on disk, never logged) and asks for a
 * new one when it is within a minute of expiring, or after the server refused it. Callers
 * at the same moment share one request.
 */
export function cachedTokens(
  provider: string,
  fetch: (forceRefresh: boolean) => Promise<IssuedToken>,
  now: () => number = Date.now,
): TokenSource {
  let current: (IssuedToken & { readonly issuedAt: number }) | undefined;
  let inflight: Promise<IssuedToken> | undefined;
  let refused = false;
  const fresh = (t: IssuedToken & { issuedAt: number }) => {
    if (t.expiresAt === undefined) return true;
    const expires = t.expiresAt.getTime();
    return expires - Math.min(MARGIN_MS, (expires - t.issuedAt) / 10) > now();
  };
  return {
    provider,
    async token() {
      if (current && !refused && fresh(current)) return current.accessToken;
      inflight ??= (async () => {
        try {
          const force = refused;
          const issued = await fetch(force);
          current = { ...issued, issuedAt: now() };
          refused = false;
          return issued;
        } catch (err) {
          if (err instanceof TokenError) throw err;
          throw new TokenError(
            provider,
            `cannot get an OAuth2 access token (${provider}): ${(err as Error).message}`,
            {
              cause: err,
            },
          );
        } finally {
          inflight = undefined;
        }
      })();
      return (await inflight).accessToken;
    },
    invalidate() {
      refused = true;
    },
  };
}
