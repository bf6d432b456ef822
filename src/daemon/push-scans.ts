import type { Logger } from '../log/logger.ts';
import type { MailboxWatch } from '../mailbox/mailbox.ts';

export interface PushOptions {
  /** Opens the watching connection; `unsupported` when the server has no IDLE. */
  readonly watch: (onNewMail: () => void) => Promise<MailboxWatch | { readonly unsupported: string }>;
  /** Asks for a scan (the daemon runs it now, or right after the job in hand). */
  readonly scan: () => void;
  /** The server has no IDLE: the caller falls back to scanning on its schedule. */
  readonly onUnsupported: (why: string) => void;
  readonly logger: Logger;
  /** Reconnection delays: the first, and the most (doubling in between). */
  readonly backoffMs?: { readonly first: number; readonly max: number };
  readonly random?: () => number;
}

export interface PushScans {
  stop(): Promise<void>;
}

/**
 * The delay before reconnection attempt `n` (0-based): doubling from `first` up to `max`,
 * each between half and all of that ("equal jitter"), so that replicas cut off together do
 * not come back together.
 */
export function reconnectDelay(
  n: number,
  backoff: { first: number; max: number },
  random: () => number,
): number {
  const ceiling = Math.min(backoff.max, backoff.first * 2 ** Math.min(n, 30));
  return Math.round(ceiling / 2 + (random() * ceiling) / 2);
}

/**
 * Scans when new mail arrives (scan.mode=idle): one connection waits in IDLE; when it is
 * lost, it is opened again with backoff and jitter, and a scan runs once it is back, for
 * what arrived meanwhile. Every failure is logged; none stops the daemon.
 */
export function startPushScans(options: PushOptions): PushScans {
  const { logger } = options;
  const backoff = options.backoffMs ?? { first: 1_000, max: 5 * 60_000 };
  const random = options.random ?? Math.random;
  let stopped = false;
  let current: MailboxWatch | undefined;
  let wake: (() => void) | undefined;
  const sleep = (ms: number) =>
    new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, ms);
      wake = () => {
        clearTimeout(timer);
        resolve();
      };
    });

  const loop = (async () => {
    let failures = 0;
    while (!stopped) {
      let watch: MailboxWatch | { readonly unsupported: string };
      try {
        watch = await options.watch(() => options.scan());
      } catch (err) {
        const delay = reconnectDelay(failures++, backoff, random);
        logger.warn({ err: (err as Error).message, retryInMs: delay }, 'cannot watch for new mail; retrying');
        await sleep(delay);
        continue;
      }
      if ('unsupported' in watch) {
        options.onUnsupported(watch.unsupported);
        return;
      }
      current = watch;
      if (stopped) {
        await watch.close();
        break;
      }
      // Watching from now on: whatever arrived before (while nobody watched, or during the
      // first scan) is scanned now. A scan of an unchanged folder is cheap (CONDSTORE).
      options.scan();
      failures = 0;
      const end = await watch.ended;
      current = undefined;
      if (stopped || end.closedByUs) break;
      const delay = reconnectDelay(failures++, backoff, random);
      logger.warn({ reason: end.reason, retryInMs: delay }, 'the IDLE connection was lost; reconnecting');
      await sleep(delay);
    }
  })();

  return {
    async stop() {
      stopped = true;
      wake?.();
      await current?.close();
      await loop;
    },
  };
}
