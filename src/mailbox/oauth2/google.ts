import { readFileSync } from 'node:fs';
import type { IssuedToken } from './token-source.ts';
import { DEFAULT_SCOPES, type OAuth2Settings } from './settings.ts';

/**
 * Gmail and Google Workspace (google-auth-library): a user's refresh token (client id and
 * secret of the OAuth client that got it), or a service account with domain-wide
 * delegation acting as the mailbox's user.
 */
export async function googleToken(s: OAuth2Settings): Promise<IssuedToken> {
  const { JWT, OAuth2Client } = await import('google-auth-library');
  if (s.serviceAccountKeyFile) {
    const key = JSON.parse(readFileSync(s.serviceAccountKeyFile, 'utf8')) as {
      client_email?: string;
      private_key?: string;
    };
    const jwt = new JWT({
      email: key.client_email,
      key: key.private_key,
      scopes: [s.scope ?? DEFAULT_SCOPES.google!],
      subject: s.user,
    });
    const credentials = await jwt.authorize();
    return issued(credentials.access_token, credentials.expiry_date);
  }
  const client = new OAuth2Client({
    clientId: s.clientId,
    clientSecret: s.clientSecret,
    ...(s.tokenUrl ? { endpoints: { oauth2TokenUrl: s.tokenUrl } } : {}),
  });
  client.setCredentials({ refresh_token: s.refreshToken });
  const { credentials } = await client.refreshAccessToken();
  return issued(credentials.access_token, credentials.expiry_date);
}

function issued(token: string | null | undefined, expiry: number | null | undefined): IssuedToken {
  if (!token) throw new Error('Google answered without an access token');
  return { accessToken: token, ...(expiry ? { expiresAt: new Date(expiry) } : {}) };
}
