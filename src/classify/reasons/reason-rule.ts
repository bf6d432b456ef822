import type { Fact } from '../fact.ts';

/** One bounce reason: what it means, what to do, and how to recognise it. */
export interface ReasonRule {
  readonly name: string;
  /** One line, for the digest and the CSV. */
  readonly description: string;
  /** What the sender should do. */
  readonly advice: string;
  /** The fault is the sender's (authentication, reputation, policy): never suppress for it. */
  readonly senderSide: boolean;
  /** The diagnostic text (lower case) says this reason. */
  readonly matches: (text: string) => boolean;
  /** The recipient's status, reply code, command and text together say this reason. */
  readonly probe: (fact: Fact) => boolean;
}

export interface Phrases {
  /** Substrings, any of which means the reason. Each is a line a real server sends. */
  readonly any?: readonly string[];
  /** Substrings that must all appear, in this order. */
  readonly inOrder?: readonly (readonly string[])[];
  /** Substrings that rule the reason out, even when a phrase matches. */
  readonly not?: readonly string[];
}

/** The longest text whose answer a matcher keeps (diagnostics average ~120 characters). */
const MEMO_CHARS = 4096;

/**
 * Substring tests. `any` and `not` are each one regular expression, an alternation of the
 * phrases as literals: it answers what `phrases.some((s) => text.includes(s))` answers, in one
 * pass of compiled code instead of a call per phrase (the reasons' phrase tests were 8 % of
 * parse + classify's time, `npm run bench`). Literals only, no quantifier or group: at each
 * position the engine compares each phrase once, so hostile text cannot make it slower than
 * the loop of `includes` it replaces. The last answer is kept: several probes ask about one
 * recipient's text (the causes that rule out 5.1.1 are asked by more than one), and the
 * text-only pass asks again. Only for a diagnostic-sized text: a matcher does not hold on to
 * a whole report's text.
 */
export function phraseMatcher(p: Phrases): (text: string) => boolean {
  const not = anyOf(p.not);
  const any = anyOf(p.any);
  let lastRaw = '';
  let lastAnswer = false;
  const test = (raw: string): boolean => {
    // A phrase that ends in a space means "the word ends here", also at the end of the text.
    const text = `${raw} `;
    if (not?.test(text)) return false;
    if (any?.test(text)) return true;
    return p.inOrder?.some((parts) => inOrder(text, parts)) ?? false;
  };
  return (raw) => {
    if (!raw) return false;
    if (raw.length > MEMO_CHARS) return test(raw);
    if (raw !== lastRaw) {
      lastAnswer = test(raw);
      lastRaw = raw;
    }
    return lastAnswer;
  };
}

/** A regular expression that finds any of these literal phrases; none for an empty list. */
export function anyOf(phrases: readonly string[] | undefined): RegExp | undefined {
  if (!phrases?.length) return undefined;
  // No flags: case-sensitive, UTF-16 code units, no lastIndex state, as includes().
  return new RegExp(phrases.map((s) => s.replace(/[\\^$.*+?()[\]{}|/]/g, '\\$&')).join('|'));
}

export function inOrder(text: string, parts: readonly string[]): boolean {
  let from = 0;
  for (const part of parts) {
    const at = text.indexOf(part, from);
    if (at === -1) return false;
    from = at + part.length;
  }
  return true;
}
