import { aol } from './aol.ts';
import { cox } from './cox.ts';
import { exchange } from './exchange.ts';
import { facebook } from './facebook.ts';
import { godaddy } from './godaddy.ts';
import { google } from './google.ts';
import { googleWorkspace } from './google-workspace.ts';
import { kddi } from './kddi.ts';
import { microsoft } from './microsoft.ts';
import { mimecast } from './mimecast.ts';
import { netease } from './netease.ts';
import { nttDocomo } from './nttdocomo.ts';
import { orange } from './orange.ts';
import { outlook } from './outlook.ts';
import type { Provider, ProviderFact } from './provider.ts';
import { tencent } from './tencent.ts';

/** Providers with rules of their own; adding one = a file here and one line in this list. */
export const PROVIDERS: readonly Provider[] = [
  aol,
  cox,
  facebook,
  godaddy,
  google,
  googleWorkspace,
  kddi,
  microsoft,
  mimecast,
  netease,
  nttDocomo,
  orange,
  outlook,
  tencent,
  exchange,
];

/**
 * The provider a failure belongs to: by the recipient's domain first, then by the server
 * that answered (Remote-MTA, or a host named in the diagnostic), then by the reporting host.
 */
export function providerOf(fact: ProviderFact): Provider | undefined {
  const byHost = providerByHost(fact.destination ?? '', fact.remoteHost ?? '', fact.localHost ?? '');
  return byHost ?? PROVIDERS.find((p) => p.recognizes?.(fact));
}

function providerByHost(destination: string, remoteHost: string, localHost: string): Provider | undefined {
  const domain = destination.toLowerCase();
  if (domain) {
    const byDomain = PROVIDERS.find((p) =>
      p.hosts.some((h) => h === domain || h.endsWith(`.${domain}`) || h.endsWith(domain)),
    );
    if (byDomain) return byDomain;
  }
  for (const host of [remoteHost, localHost]) {
    const h = host.toLowerCase();
    if (!h) continue;
    const byHost = PROVIDERS.find((p) => p.hosts.some((suffix) => h.endsWith(suffix)));
    if (byHost) return byHost;
  }
  return undefined;
}

export type { Provider, ProviderFact };
