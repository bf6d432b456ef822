// A local OAuth2 provider for the login tests: oauth2-mock-server issuing signed, short-lived
// tokens, and answering Dovecot's oauth2 passdb at its userinfo endpoint with `active` only
// for a token it issued that has not expired or been revoked.
import { randomUUID } from 'node:crypto';
import { OAuth2Server } from 'oauth2-mock-server';

export interface TestProvider {
  /** The issuer's base URL; the token endpoint is `${url}/token`, the one Dovecot asks `${url}/userinfo`. */
  readonly url: string;
  /** Every token request's grant type, in order. */
  readonly grants: string[];
  /** Every access token issued, in order. */
  readonly issued: string[];
  /** Seconds each new token lives. */
  ttlSeconds: number;
  /** Refused at introspection from now on, as a revoked grant's tokens are. */
  revoke(token: string): void;
  /** The token endpoint answers invalid_grant from now on (a revoked refresh token). */
  refuseGrants(): void;
  stop(): Promise<void>;
}

/** `tls`: serve https with this key and certificate (PEM files), as Microsoft's endpoint must be. */
export async function startTestProvider(
  user: () => string,
  tls?: { key: string; cert: string },
): Promise<TestProvider> {
  const server = tls ? new OAuth2Server(tls.key, tls.cert) : new OAuth2Server();
  await server.issuer.keys.generate('RS256');
  await server.start(0, '127.0.0.1');
  const revoked = new Set<string>();
  let refusing = false;
  const provider: TestProvider = {
    url: server.issuer.url!,
    grants: [],
    issued: [],
    ttlSeconds: 3600,
    revoke: (token) => revoked.add(token),
    refuseGrants: () => {
      refusing = true;
    },
    stop: () => server.stop(),
  };
  server.service.on('beforeTokenSigning', (token: { payload: Record<string, unknown> }) => {
    // Rounded up: the token lives at least the expires_in it is announced with.
    token.payload.exp = Math.ceil(Date.now() / 1000) + provider.ttlSeconds;
    // Its own id, as real providers' tokens have: two tokens issued in one second would
    // otherwise be the same bytes, and the new one as revoked as the one it replaces.
    token.payload.jti = randomUUID();
  });
  server.service.on(
    'beforeResponse',
    (
      response: { body: Record<string, unknown>; statusCode: number },
      req: { body: { grant_type?: string } },
    ) => {
      provider.grants.push(String(req.body.grant_type));
      if (refusing) {
        response.statusCode = 400;
        response.body = { error: 'invalid_grant', error_description: 'Token has been expired or revoked.' };
        return;
      }
      response.body.expires_in = provider.ttlSeconds;
      provider.issued.push(String(response.body.access_token));
    },
  );
  // What Dovecot asks (introspection_mode = auth: GET with the token as a bearer): active
  // only for a token issued here that has neither expired nor been revoked.
  server.service.on(
    'beforeUserinfo',
    (
      response: { body: Record<string, unknown>; statusCode: number },
      req: { headers: Record<string, string | undefined> },
    ) => {
      const token = /^Bearer (\S+)$/i.exec(req.headers.authorization ?? '')?.[1] ?? '';
      const payload = token.split('.')[1];
      const exp = payload ? Number(JSON.parse(Buffer.from(payload, 'base64url').toString()).exp) : 0;
      const active = provider.issued.includes(token) && !revoked.has(token) && exp * 1000 > Date.now();
      response.body = active ? { active: 'true', username: user() } : { active: 'false' };
    },
  );
  return provider;
}
