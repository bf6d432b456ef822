import { describe, expect, it } from 'vitest';
import { reconnectDelay } from '../../src/daemon/push-scans.ts';

describe('reconnecting the IDLE connection', () => {
  const backoff = { first: 1000, max: 300_000 };
  it('doubles the delay up to the most, each between half and all of it', () => {
    expect([0, 1, 2, 3].map((n) => reconnectDelay(n, backoff, () => 1))).toEqual([1000, 2000, 4000, 8000]);
    expect([0, 1, 2, 3].map((n) => reconnectDelay(n, backoff, () => 0))).toEqual([500, 1000, 2000, 4000]);
    expect(reconnectDelay(20, backoff, () => 1)).toBe(300_000);
    expect(reconnectDelay(1000, backoff, () => 0)).toBe(150_000);
  });
});
