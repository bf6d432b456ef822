import { describe, expect, it } from 'vitest';
import { inLists, rowGroups } from '../../src/store/statement-shapes.ts';

const range = (n: number) => Array.from({ length: n }, (_, i) => i);

describe('statement shapes', () => {
  it('pads an IN list to 8, 32, 128 or 500 with its last value, and splits it at 500', () => {
    expect([...inLists([1, 2, 3])]).toEqual([[1, 2, 3, 3, 3, 3, 3, 3]]);
    const lengths = (n: number) => [...inLists(range(n))].map((l) => l.length);
    expect(lengths(8)).toEqual([8]);
    expect(lengths(9)).toEqual([32]);
    expect(lengths(100)).toEqual([128]);
    expect(lengths(1234)).toEqual([500, 500, 500]);
    expect([...inLists([])]).toEqual([]);
    // Nothing is lost and nothing is added but repeats.
    const pieces = [...inLists(range(1234))];
    expect(new Set(pieces.flat())).toEqual(new Set(range(1234)));
  });

  it('cuts rows into groups of powers of two up to 128, in order, every row once', () => {
    const sizes = (n: number) => [...rowGroups(range(n))].map((g) => g.length);
    expect(sizes(137)).toEqual([128, 8, 1]);
    expect(sizes(100)).toEqual([64, 32, 4]);
    expect(sizes(300)).toEqual([128, 128, 32, 8, 4]);
    expect(sizes(0)).toEqual([]);
    for (const n of [1, 7, 63, 200, 777]) expect([...rowGroups(range(n))].flat()).toEqual(range(n));
  });
});
