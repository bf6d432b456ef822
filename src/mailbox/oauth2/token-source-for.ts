import { commandToken } from './command.ts';
import { genericToken } from './generic.ts';
import { googleToken } from './google.ts';
import { microsoftToken } from './microsoft.ts';
import type { OAuth2Settings } from './settings.ts';
import { cachedTokens, type TokenSource } from './token-source.ts';

/** The configured provider's tokens, kept in memory and refreshed before they expire. */
export function tokenSourceFor(s: OAuth2Settings): TokenSource {
  const fetch = {
    microsoft: (force: boolean) => microsoftToken(s, force),
    google: () => googleToken(s),
    generic: () => genericToken(s),
    command: (force: boolean) => commandToken(s, force),
  }[s.provider];
  return cachedTokens(s.provider, fetch);
}
