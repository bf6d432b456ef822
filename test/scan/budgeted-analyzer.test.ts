import { describe, expect, it } from 'vitest';
import { createLogger } from '../../src/log/logger.ts';
import { BudgetedAnalyzer } from '../../src/scan/budgeted-analyzer.ts';

const SCRIPTED = new URL('../helpers/scripted-analysis-worker.ts', import.meta.url);
const logger = createLogger({ level: 'silent' });

/** What came back for each message: its subject, or the note of a give-up. */
async function outcomes(analyzer: BudgetedAnalyzer, texts: string[]): Promise<string[]> {
  const results = await analyzer.analyzeAll(texts.map((t) => Buffer.from(t)));
  return results.map((r) => r.message.subject ?? r.analysis.note ?? '?');
}

describe('the analysis pool', () => {
  it('gives up on the message over its budget, and the rest of its chunk comes back analysed, in order', async () => {
    // One worker: the whole batch is two chunks, the stalled message in the first.
    const analyzer = new BudgetedAnalyzer(300, 1 << 20, logger, 1, SCRIPTED);
    try {
      const texts = ['a', 'b', 'stall', 'c', 'd', 'e'];
      const started = Date.now();
      expect(await outcomes(analyzer, texts)).toEqual(['a', 'b', 'analysis exceeded 300 ms', 'c', 'd', 'e']);
      // Given up at its budget, not after the 10 s it would have taken.
      expect(Date.now() - started).toBeLessThan(5_000);
      // The pool goes on with a fresh worker.
      expect(await outcomes(analyzer, ['f'])).toEqual(['f']);
    } finally {
      await analyzer.close();
    }
  });

  it('counts a message’s budget from when its worker takes it, not from when its chunk was handed over', async () => {
    // Each message takes no time, but a chunk of many waits behind a slow one: no give-ups
    // other than the stalled message's.
    const analyzer = new BudgetedAnalyzer(300, 1 << 20, logger, 1, SCRIPTED);
    try {
      const texts = ['stall', ...Array.from({ length: 20 }, (_, i) => `m${i}`)];
      const got = await outcomes(analyzer, texts);
      expect(got.filter((g) => g.startsWith('analysis exceeded'))).toHaveLength(1);
      expect(got.slice(1)).toEqual(texts.slice(1));
    } finally {
      await analyzer.close();
    }
  });

  it('sends a message whose analysis throws, or whose worker dies, to review with why; the others are analysed', async () => {
    const analyzer = new BudgetedAnalyzer(5_000, 1 << 20, logger, 2, SCRIPTED);
    try {
      expect(await outcomes(analyzer, ['a', 'throw', 'b', 'crash', 'c', 'd', 'e', 'f'])).toEqual([
        'a',
        'analysis failed: scripted failure',
        'b',
        'analysis failed: worker crashed',
        'c',
        'd',
        'e',
        'f',
      ]);
    } finally {
      await analyzer.close();
    }
  });
});
