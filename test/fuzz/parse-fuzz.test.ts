import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { analyzeMessage } from '../../src/analyze-message.ts';
import { fixtureMessages, mutatedMessage } from './mutations.ts';

// Property: whatever the mutation, parse never throws and every message is analysed well
// within the scan's default time budget (2,000 ms). A failure prints the seed and path:
// FUZZ_SEED=<seed> replays the run. `npm run fuzz` runs 100,000 cases and prints figures.
const messages = fixtureMessages(new URL('../fixtures', import.meta.url).pathname);
const RUNS = Number(process.env.FUZZ_RUNS ?? 10_000);
const BUDGET_MS = 1000;

describe('analysis of mutated corpus messages', () => {
  it(`never throws and stays within ${BUDGET_MS} ms per message (${RUNS} cases)`, () => {
    let slowest = 0;
    fc.assert(
      fc.property(mutatedMessage(messages.length), ({ index, apply }) => {
        const bytes = apply(messages[index]!);
        const t = performance.now();
        const { analysis } = analyzeMessage(bytes);
        const ms = performance.now() - t;
        slowest = Math.max(slowest, ms);
        expect(['bounce', 'delayed', 'delivered', 'autoreply', 'complaint', 'none']).toContain(analysis.kind);
        expect(ms).toBeLessThan(BUDGET_MS);
      }),
      { numRuns: RUNS, seed: process.env.FUZZ_SEED ? Number(process.env.FUZZ_SEED) : undefined },
    );
    expect(slowest).toBeLessThan(BUDGET_MS);
  }, 300_000);
});
