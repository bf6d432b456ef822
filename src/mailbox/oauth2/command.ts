import { spawn } from 'node:child_process';
import type { IssuedToken } from './token-source.ts';
import type { OAuth2Settings } from './settings.ts';

/**
 * A program that prints a token, as `git credential` helpers and mutt's oauth2.py do: run by
 * the shell, its standard output is the token, or JSON {"access_token", "expires_in"}. It
 * is run again when the token expires or the server refuses it (BOUNCED_OAUTH2_REFRESH=1
 * then, for a helper that caches).
 */
export function commandToken(s: OAuth2Settings, forceRefresh: boolean): Promise<IssuedToken> {
  return new Promise((resolve, reject) => {
    const child = spawn('/bin/sh', ['-c', s.command!], {
      env: {
        ...process.env,
        BOUNCED_OAUTH2_USER: s.user,
        ...(forceRefresh ? { BOUNCED_OAUTH2_REFRESH: '1' } : {}),
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (c: Buffer) => (out += c.toString()));
    child.stderr.on('data', (c: Buffer) => (err += c.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
    child.on('error', (e) => {
      clearTimeout(timer);
      reject(e);
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      // The helper's own words may help; the token never appears in them (stderr only).
      const why = err.trim().split('\n').at(-1)?.slice(0, 200);
      if (code !== 0)
        return reject(new Error(`oauth2.command exited ${signal ?? code}${why ? `: ${why}` : ''}`));
      const text = out.trim();
      if (text === '') return reject(new Error('oauth2.command printed no token'));
      if (text.startsWith('{')) {
        try {
          const json = JSON.parse(text) as { access_token?: unknown; expires_in?: unknown };
          if (typeof json.access_token !== 'string')
            return reject(new Error('oauth2.command printed JSON without access_token'));
          const expiresIn = Number(json.expires_in);
          return resolve({
            accessToken: json.access_token,
            ...(Number.isFinite(expiresIn) && expiresIn > 0
              ? { expiresAt: new Date(Date.now() + expiresIn * 1000) }
              : {}),
          });
        } catch {
          return reject(new Error('oauth2.command printed something that is neither a token nor JSON'));
        }
      }
      if (/\s/.test(text))
        return reject(new Error('oauth2.command printed more than one word; expected a token'));
      resolve({ accessToken: text });
    });
  });
}
