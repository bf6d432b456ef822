import type { Fact } from '../fact.ts';

/**
 * A mailbox provider whose replies carry its own codes or phrasing (Google's "(state 14)",
 * GoDaddy's "IB506", Cox's "AUP#CXBL"). Its rules are tried before the generic reasons,
 * for recipients at the provider or failures reported by its servers.
 */
export interface Provider {
  readonly name: string;
  /**
   * Host name suffixes of the provider's receiving servers. A recipient domain matches when
   * one of these ends with it (cox.net, qq.com); a remote server when it ends with one.
   */
  readonly hosts: readonly string[];
  /** For rules found by the text rather than a host (Exchange's RESOLVER.* codes). */
  readonly recognizes?: (fact: ProviderFact) => boolean;
  /** The reason, or undefined when the provider's rules say nothing. `text` keeps its case. */
  find(fact: ProviderFact): string | undefined;
}

export interface ProviderFact extends Fact {
  /** The diagnostic as the server wrote it (codes are case-sensitive). */
  readonly original: string;
}

/** First reason whose phrases occur in the (lower-case) text. */
export function byPhrase(
  text: string,
  table: Readonly<Record<string, readonly string[]>>,
): string | undefined {
  for (const [reason, phrases] of Object.entries(table)) {
    if (phrases.some((p) => text.includes(p))) return reason;
  }
  return undefined;
}
