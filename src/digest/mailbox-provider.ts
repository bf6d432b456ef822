// Which mailbox provider a failure came from. Sender-side failures are fixed per provider
// (Google's 5.7.26 and Microsoft's 5.7.509 need different work), and many domains are
// hosted by one of them: acme.example with its MX at aspmx.l.google.com is Google. So the
// receiving server (remote MTA) is asked first, then a reporting MTA of the provider's
// own, and only then the recipient's domain.

export type Provider = 'Google' | 'Microsoft' | 'Yahoo' | 'Apple' | 'Other';

/** Host and domain suffixes each provider's servers and consumer domains use. */
const SUFFIXES: readonly (readonly [Provider, readonly string[]])[] = [
  ['Google', ['google.com', 'googlemail.com', 'gmail.com', '1e100.net', 'googlegroups.com']],
  ['Microsoft', ['outlook.com', 'hotmail.com', 'live.com', 'msn.com', 'office365.com', 'microsoft.com']],
  ['Yahoo', ['yahoo.com', 'yahoodns.net', 'ymail.com', 'rocketmail.com', 'aol.com', 'aol.net', 'yahoo.net']],
  ['Apple', ['icloud.com', 'me.com', 'mac.com', 'apple.com']],
];

function byHost(host: string | null | undefined): Provider | undefined {
  if (!host) return undefined;
  // "dns; gmail-smtp-in.l.google.com", "mx.example [192.0.2.1]"
  const name = host
    .replace(/^\s*dns\s*;\s*/i, '')
    .trim()
    .split(/[\s[(]/)[0]!
    .replace(/\.$/, '')
    .toLowerCase();
  for (const [provider, suffixes] of SUFFIXES)
    if (suffixes.some((s) => name === s || name.endsWith(`.${s}`))) return provider;
  // Consumer domains with a country ending: yahoo.co.uk, hotmail.fr, outlook.de.
  if (/(^|\.)(yahoo|ymail)\.[a-z.]+$/.test(name)) return 'Yahoo';
  if (/(^|\.)(hotmail|outlook|live)\.[a-z.]+$/.test(name)) return 'Microsoft';
  if (/(^|\.)googlemail\.[a-z.]+$/.test(name)) return 'Google';
  return undefined;
}

/** The provider of one failure: from the receiving server, the reporting server, the domain. */
export function providerOf(
  domain: string,
  remoteMta?: string | null,
  reportingMta?: string | null,
): Provider {
  return byHost(remoteMta) ?? byHost(reportingMta) ?? byHost(domain) ?? 'Other';
}
