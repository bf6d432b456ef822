import { PassThrough } from 'node:stream';
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { duration, progressLine, scanProgress } from '../../src/scan/progress.ts';

describe('the progress line', () => {
  it('says done of total, the rate, the time left and the counts so far', () => {
    expect(
      progressLine({
        done: 12_000,
        total: 100_000,
        elapsedMs: 10_000,
        bounces: 9_000,
        suppressed: 7_500,
        review: 40,
      }),
    ).toBe(
      '12,000 of 100,000 messages · 1,200 msg/s · 1m 13s left · 9,000 bounces, 7,500 suppressions, 40 for review',
    );
    expect(progressLine({ done: 0, total: 5, elapsedMs: 0, bounces: 0, suppressed: 0, review: 0 })).toBe(
      '0 of 5 messages · 0 msg/s · time left unknown · 0 bounces, 0 suppressions, 0 for review',
    );
    expect(progressLine({ done: 1, total: 1, elapsedMs: 500, bounces: 1, suppressed: 1, review: 1 })).toBe(
      '1 of 1 messages · 2 msg/s · 0s left · 1 bounce, 1 suppression, 1 for review',
    );
  });

  it('writes durations short', () => {
    expect([9, 75, 3725, 0.4].map(duration)).toEqual(['9s', '1m 15s', '1h 2m', '0s']);
  });

  it('off a terminal, logs a progress line every few seconds; --quiet shows nothing', () => {
    const lines: { msg: string; done: number }[] = [];
    const out = new PassThrough();
    out.on('data', (c: Buffer) => {
      for (const l of c.toString().split('\n').filter(Boolean)) lines.push(JSON.parse(l));
    });
    let now = 0;
    const progress = scanProgress({
      quiet: false,
      tty: false,
      logger: pino(out),
      everyMs: 5000,
      now: () => now,
    })!;
    progress.start(300);
    const totals = (seen: number) => ({
      seen,
      bounces: seen,
      unrecognized: 0,
      moved: 0,
      duplicates: 0,
      suppressed: 0,
    });
    now = 1000;
    progress.update(totals(100)); // too soon
    now = 5000;
    progress.update(totals(200));
    now = 6000;
    progress.update(totals(250)); // too soon again
    progress.stop(totals(300));
    return new Promise<void>((resolve) =>
      setImmediate(() => {
        expect(lines.map((l) => l.msg)).toEqual([
          '200 of 300 messages · 40 msg/s · 3s left · 200 bounces, 0 suppressions, 0 for review',
        ]);
        expect(scanProgress({ quiet: true, tty: true, logger: pino(out) })).toBeUndefined();
        resolve();
      }),
    );
  });
});
