// How a scan is going, for the person who started it: a bar on a terminal (cli-progress),
// a log line every few seconds elsewhere, nothing with --quiet. The words are one pure
// function, progressLine, so that both say the same.
import { createRequire } from 'node:module';
import type { Logger } from '../log/logger.ts';
import type { ScanProgress } from './scan.ts';

export interface ProgressState {
  readonly done: number;
  readonly total: number;
  readonly elapsedMs: number;
  readonly bounces: number;
  readonly suppressed: number;
  readonly review: number;
}

const nf = new Intl.NumberFormat('en-US');

/** "1,200 of 10,000 messages · 850 msg/s · 10s left · 900 bounces, 700 suppressions, 12 for review" */
export function progressLine(s: ProgressState): string {
  const rate = s.elapsedMs > 0 ? (s.done * 1000) / s.elapsedMs : 0;
  const left = rate > 0 ? (s.total - s.done) / rate : undefined;
  return [
    `${nf.format(s.done)} of ${nf.format(s.total)} messages`,
    `${nf.format(Math.round(rate))} msg/s`,
    left === undefined ? 'time left unknown' : `${duration(left)} left`,
    `${nf.format(s.bounces)} ${s.bounces === 1 ? 'bounce' : 'bounces'}, ${nf.format(s.suppressed)} ${s.suppressed === 1 ? 'suppression' : 'suppressions'}, ${nf.format(s.review)} for review`,
  ].join(' · ');
}

/** 75 → "1m 15s"; 3725 → "1h 2m"; 9 → "9s". */
export function duration(seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m ${s % 60}s`;
  return `${Math.floor(s / 3600)}h ${Math.floor((s % 3600) / 60)}m`;
}

interface Totals {
  readonly seen: number;
  readonly bounces: number;
  readonly unrecognized: number;
  readonly suppressed?: number;
}

/** The display for `scan --once`: a bar on a terminal, log lines otherwise. */
export function scanProgress(options: {
  readonly quiet: boolean;
  readonly tty: boolean;
  readonly logger: Logger;
  readonly stream?: NodeJS.WriteStream;
  readonly everyMs?: number;
  readonly now?: () => number;
}): ScanProgress | undefined {
  if (options.quiet) return undefined;
  const now = options.now ?? (() => Date.now());
  let started = now();
  let total = 0;
  const state = (t: Totals): ProgressState => ({
    done: t.seen,
    total,
    elapsedMs: now() - started,
    bounces: t.bounces,
    suppressed: t.suppressed ?? 0,
    review: t.unrecognized,
  });
  if (options.tty) {
    // Loaded only for a terminal: a scan in a container never draws a bar.
    const cliProgress = createRequire(import.meta.url)('cli-progress') as typeof import('cli-progress');
    const bar = new cliProgress.SingleBar(
      {
        format: '{bar} {line}',
        hideCursor: true,
        clearOnComplete: false,
        stream: options.stream ?? process.stderr,
      },
      cliProgress.Presets.shades_classic,
    );
    return {
      start(n) {
        total = n;
        started = now();
        bar.start(Math.max(n, 1), 0, { line: progressLine(state({ seen: 0, bounces: 0, unrecognized: 0 })) });
      },
      update(t) {
        bar.update(t.seen, { line: progressLine(state(t)) });
      },
      stop(t) {
        bar.update(t.seen, { line: progressLine(state(t)) });
        bar.stop();
      },
    };
  }
  const every = options.everyMs ?? 5000;
  let last = 0;
  const log = options.logger.child({ component: 'progress' });
  return {
    start(n) {
      total = n;
      started = now();
      last = started;
    },
    update(t) {
      if (now() - last < every) return;
      last = now();
      const s = state(t);
      log.info(
        { done: s.done, total: s.total, bounces: s.bounces, suppressed: s.suppressed, review: s.review },
        progressLine(s),
      );
    },
    stop() {
      // The scan's own summary line follows.
    },
  };
}
