import cron from 'node-cron';
import type { Logger } from '../log/logger.ts';

export interface Job {
  readonly name: string;
  /** A cron expression (node-cron syntax); none: the job runs only when triggered. */
  readonly schedule?: string;
  readonly timezone?: string;
  /**
   * Jobs of one lane never overlap; jobs of different lanes may (each mailbox's scans are a
   * lane, so one stuck server holds up no other mailbox). Default: one shared lane.
   */
  readonly lane?: string;
  /** Runs the job; gets a function that says whether to stop early. */
  run(shouldStop: () => boolean): Promise<void>;
}

export interface DaemonOptions {
  readonly jobs: readonly Job[];
  readonly logger: Logger;
  /** Run every job once at start, before waiting for the schedule. */
  readonly runAtStart?: boolean;
  /** Or: the jobs (by name) to run once at start, in this order. */
  readonly atStart?: readonly string[];
  /** How long a stop waits for the job in hand to finish. */
  readonly stopTimeoutMs?: number;
}

export interface Daemon {
  /** Resolves when the daemon has stopped. */
  readonly done: Promise<void>;
  /**
   * Runs a job now, or, when a job is running, once right after it: a trigger is never
   * lost, and several while one job runs make one more run (new mail while a scan runs).
   */
  trigger(name: string): void;
  /** Runs a job on a cron schedule from now on (a job that had none: IDLE fell back to polling). */
  schedule(name: string, expression: string): void;
  stop(reason: string): Promise<void>;
}

/**
 * Runs jobs on their schedules, one at a time per lane: the jobs of a lane never overlap,
 * with themselves or each other. A tick that falls while its lane runs a job is skipped,
 * not queued.
 */
export function startDaemon(options: DaemonOptions): Daemon {
  const { logger } = options;
  let stopping = false;
  const laneOf = (job: Job) => job.lane ?? '';
  const current = new Map<string, Promise<void>>();
  const pending = new Map<string, Set<string>>();
  const pendingOf = (lane: string) => pending.get(lane) ?? pending.set(lane, new Set()).get(lane)!;
  let resolveDone!: () => void;
  const done = new Promise<void>((r) => {
    resolveDone = r;
  });

  const runJob = (job: Job): Promise<void> | undefined => {
    if (stopping) return undefined;
    const lane = laneOf(job);
    if (current.has(lane)) {
      logger.info({ job: job.name }, 'previous job still running; skipping this tick');
      return undefined;
    }
    const started = Date.now();
    const running = job
      .run(() => stopping)
      .catch((err: Error) => logger.error({ job: job.name, err: err.message }, 'job failed'))
      .finally(() => {
        logger.debug({ job: job.name, ms: Date.now() - started }, 'job finished');
        current.delete(lane);
        const waiting = pendingOf(lane);
        const next = [...waiting][0];
        if (next !== undefined) {
          waiting.delete(next);
          const again = options.jobs.find((j) => j.name === next);
          if (again) void runJob(again);
        }
      });
    current.set(lane, running);
    return running;
  };

  const tasks = options.jobs.flatMap((job) =>
    job.schedule === undefined
      ? []
      : [
          cron.schedule(job.schedule, () => runJob(job), {
            timezone: job.timezone,
            noOverlap: true,
            name: job.name,
          }),
        ],
  );
  logger.info({ jobs: options.jobs.map((j) => ({ name: j.name, schedule: j.schedule })) }, 'daemon started');

  const first = options.runAtStart
    ? options.jobs
    : (options.atStart ?? [])
        .map((name) => options.jobs.find((j) => j.name === name))
        .filter((j): j is Job => !!j);
  if (first.length) {
    // The jobs of their own lanes (each mailbox's first scan) together, then the others in
    // order: a digest caught up at start reports what those scans found.
    void (async () => {
      await Promise.all(first.filter((j) => j.lane !== undefined).map((j) => runJob(j)));
      for (const job of first.filter((j) => j.lane === undefined)) await runJob(job);
    })();
  }

  return {
    done,
    schedule(name: string, expression: string) {
      const job = options.jobs.find((j) => j.name === name);
      if (!job || stopping) return;
      tasks.push(
        cron.schedule(expression, () => runJob(job), { timezone: job.timezone, noOverlap: true, name }),
      );
    },
    trigger(name: string) {
      const job = options.jobs.find((j) => j.name === name);
      if (!job || stopping) return;
      if (current.has(laneOf(job))) pendingOf(laneOf(job)).add(name);
      else void runJob(job);
    },
    async stop(reason: string) {
      if (stopping) return done;
      stopping = true;
      logger.info({ reason }, 'stopping: finishing the step in hand');
      await Promise.all(tasks.map((t) => t.destroy()));
      const timeout = options.stopTimeoutMs ?? 30_000;
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([
        Promise.all(current.values()),
        new Promise<void>((r) => {
          timer = setTimeout(() => {
            logger.warn({ timeoutMs: timeout }, 'the step in hand did not finish in time; stopping anyway');
            r();
          }, timeout);
        }),
      ]);
      clearTimeout(timer);
      logger.info('stopped');
      resolveDone();
      return done;
    },
  };
}
