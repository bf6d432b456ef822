import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { anyOf, inOrder, phraseMatcher, type Phrases } from '../../src/classify/reasons/reason-rule.ts';

// The phrase tests are regular expressions of literals: they must answer exactly what the
// plain substring tests answer, whatever the phrases hold (regular-expression syntax
// included) and whatever the text.

/** Characters of diagnostics, and every one that means something in a regular expression. */
const char = fc.constantFrom(...'ab 5.1-x\\^$.*+?()[]{}|/<>:;@\'"é\t'.split(''));
const phrase = fc.string({ unit: char, minLength: 1, maxLength: 6 });
const text = fc.string({ unit: char, maxLength: 60 });

/** phraseMatcher as the plain loop of includes it stands for. */
function reference(p: Phrases): (raw: string) => boolean {
  return (raw) => {
    if (!raw) return false;
    const t = `${raw} `;
    if (p.not?.some((s) => t.includes(s))) return false;
    if (p.any?.some((s) => t.includes(s))) return true;
    return p.inOrder?.some((parts) => inOrder(t, parts)) ?? false;
  };
}

describe('the reasons’ phrase tests', () => {
  it('find a phrase exactly where includes finds it, regular-expression characters and all', () => {
    fc.assert(
      fc.property(fc.array(phrase, { minLength: 1, maxLength: 8 }), text, (phrases, t) => {
        // A text that holds one of the phrases as often as one that does not.
        const withOne = `${t}${phrases[t.length % phrases.length]}${t}`;
        for (const s of [t, withOne])
          expect(anyOf(phrases)!.test(s)).toBe(phrases.some((p) => s.includes(p)));
      }),
      { numRuns: 2000 },
    );
  });

  it('answer as the plain loop does, with `not` ruling a match out and the last answer kept', () => {
    fc.assert(
      fc.property(
        fc.record({
          any: fc.option(fc.array(phrase, { maxLength: 5 }), { nil: undefined }),
          not: fc.option(fc.array(phrase, { maxLength: 3 }), { nil: undefined }),
          inOrder: fc.option(fc.array(fc.array(phrase, { minLength: 1, maxLength: 3 }), { maxLength: 2 }), {
            nil: undefined,
          }),
        }),
        fc.array(text, { minLength: 1, maxLength: 4 }),
        (p, texts) => {
          const matches = phraseMatcher(p);
          const expected = reference(p);
          // Each text twice in a row: the second answer comes from the kept one.
          for (const t of texts.flatMap((x) => [x, x])) expect(matches(t)).toBe(expected(t));
        },
      ),
      { numRuns: 2000 },
    );
  });

  it('has no expression for no phrases', () => {
    expect(anyOf(undefined)).toBeUndefined();
    expect(anyOf([])).toBeUndefined();
  });
});
