import { describe, expect, it } from 'vitest';
import { startDaemon } from '../../src/daemon/run-daemon.ts';
import { silentLogger } from '../helpers/app.ts';

describe('the daemon loop', () => {
  it('never runs two jobs at once, and a stop waits for the job in hand', async () => {
    let running = 0;
    let most = 0;
    let runs = 0;
    let finished = 0;
    let sawStop = false;
    const daemon = startDaemon({
      logger: silentLogger,
      runAtStart: true,
      jobs: [
        {
          name: 'slow',
          schedule: '* * * * * *', // every second, while each run takes 1.5 s
          async run(shouldStop) {
            running++;
            runs++;
            most = Math.max(most, running);
            for (let i = 0; i < 15; i++) {
              await new Promise((r) => setTimeout(r, 100));
              if (shouldStop()) sawStop = true;
            }
            running--;
            finished++;
          },
        },
      ],
    });
    // Stop while the second run is in hand.
    while (!(runs >= 2 && running === 1)) await new Promise((r) => setTimeout(r, 20));
    await daemon.stop('test');
    expect(most).toBe(1);
    expect(runs).toBeGreaterThanOrEqual(2);
    expect(finished).toBe(runs); // the stop let the last run finish
    expect(sawStop).toBe(true); // and the run was told to wind up
    const after = runs;
    await new Promise((r) => setTimeout(r, 1200));
    expect(runs).toBe(after); // nothing runs after a stop
  });

  it('runs a triggered job once more after the job in hand, however often it was triggered meanwhile', async () => {
    let runs = 0;
    let release!: () => void;
    const daemon = startDaemon({
      logger: silentLogger,
      jobs: [
        {
          name: 'scan', // no schedule: only triggered (scan.mode=idle)
          async run() {
            runs++;
            if (runs === 1) await new Promise<void>((r) => (release = r));
          },
        },
      ],
    });
    daemon.trigger('scan');
    while (!release) await new Promise((r) => setTimeout(r, 5));
    // New mail three times while the first scan runs: one more scan, not three, not none.
    daemon.trigger('scan');
    daemon.trigger('scan');
    daemon.trigger('scan');
    release();
    while (runs < 2) await new Promise((r) => setTimeout(r, 5));
    await new Promise((r) => setTimeout(r, 100));
    expect(runs).toBe(2);
    await daemon.stop('test');
  });
});
