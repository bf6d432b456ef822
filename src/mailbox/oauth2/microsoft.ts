import { createHash, X509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { IssuedToken } from './token-source.ts';
import { DEFAULT_SCOPES, type OAuth2Settings } from './settings.ts';

type Msal = import('@azure/msal-node').ConfidentialClientApplication;
const apps = new Map<string, Msal>();

/**
 * Exchange Online (@azure/msal-node): the client-credentials flow of an app registration
 * with the IMAP.AccessAsApp permission, by client secret or by certificate. The app is
 * kept, so that msal's own cache serves a token until it nears its expiry.
 */
export async function microsoftToken(s: OAuth2Settings, forceRefresh: boolean): Promise<IssuedToken> {
  const { ConfidentialClientApplication } = await import('@azure/msal-node');
  // oauth2.tokenUrl replaces Microsoft's token endpoint (a private deployment, a test
  // server): msal is then given the authority's metadata instead of discovering it.
  const custom = s.tokenUrl ? new URL(s.tokenUrl) : undefined;
  const authority = custom
    ? `${custom.origin}/${s.tenant ?? 'organizations'}`
    : `https://login.microsoftonline.com/${s.tenant}`;
  const key = `${authority} ${s.clientId}`;
  let app = apps.get(key);
  if (!app) {
    app = new ConfidentialClientApplication({
      auth: {
        clientId: s.clientId!,
        authority,
        ...(custom
          ? {
              knownAuthorities: [custom.host],
              authorityMetadata: JSON.stringify({
                issuer: `${authority}/v2.0`,
                token_endpoint: custom.href,
                authorization_endpoint: `${custom.origin}/authorize`,
                end_session_endpoint: `${custom.origin}/logout`,
                jwks_uri: `${custom.origin}/jwks`,
              }),
            }
          : {}),
        ...(s.certificateFile
          ? { clientCertificate: certificate(s.certificateFile) }
          : { clientSecret: s.clientSecret }),
      },
    });
    apps.set(key, app);
  }
  const result = await app.acquireTokenByClientCredential({
    scopes: [s.scope ?? DEFAULT_SCOPES.microsoft!],
    skipCache: forceRefresh,
  });
  if (!result?.accessToken) throw new Error('Microsoft answered without an access token');
  return { accessToken: result.accessToken, ...(result.expiresOn ? { expiresAt: result.expiresOn } : {}) };
}

/** The PEM file's certificate (its SHA-256 thumbprint and chain) and private key, as msal wants them. */
function certificate(file: string) {
  const pem = readFileSync(file, 'utf8');
  const cert = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/.exec(pem)?.[0];
  const privateKey =
    /-----BEGIN (?:RSA |EC )?PRIVATE KEY-----[\s\S]+?-----END (?:RSA |EC )?PRIVATE KEY-----/.exec(pem)?.[0];
  if (!cert || !privateKey)
    throw new Error(`oauth2.certificateFile ${file} must hold a certificate and its private key (PEM)`);
  const der = new X509Certificate(cert).raw;
  return {
    thumbprintSha256: createHash('sha256').update(der).digest('hex'),
    privateKey,
    x5c: cert,
  };
}
