import type { IssuedToken } from './token-source.ts';
import type { OAuth2Settings } from './settings.ts';

/**
 * Any OAuth2 token endpoint (openid-client): the refresh-token grant when a refresh token is
 * configured, else client credentials (RFC 6749 §4.4). Plain http only to this machine.
 */
export async function genericToken(s: OAuth2Settings): Promise<IssuedToken> {
  const client = await import('openid-client');
  const url = new URL(s.tokenUrl!);
  const config = new client.Configuration(
    { issuer: url.origin, token_endpoint: url.href },
    s.clientId!,
    s.clientSecret,
  );
  if (url.protocol === 'http:' && isLoopback(url.hostname)) client.allowInsecureRequests(config);
  const params: Record<string, string> = s.scope ? { scope: s.scope } : {};
  let tokens: Awaited<ReturnType<typeof client.clientCredentialsGrant>>;
  try {
    tokens = s.refreshToken
      ? await client.refreshTokenGrant(config, s.refreshToken, params)
      : await client.clientCredentialsGrant(config, params);
  } catch (err) {
    // RFC 6749 §5.2: the endpoint's own error code and words ("invalid_grant: Token has
    // been expired or revoked.") say more than the library's.
    const e = err as { error?: string; error_description?: string };
    if (e.error)
      throw new Error(
        `${url.origin} answered ${e.error}${e.error_description ? `: ${e.error_description}` : ''}`,
        { cause: err },
      );
    throw err;
  }
  const expiresIn = tokens.expiresIn();
  return {
    accessToken: tokens.access_token,
    ...(expiresIn === undefined ? {} : { expiresAt: new Date(Date.now() + expiresIn * 1000) }),
  };
}

export function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '::1' || host === '[::1]' || /^127\./.test(host);
}
