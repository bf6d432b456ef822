import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import type { Logger } from '../log/logger.ts';
import type { AnalysisRequest } from './analysis-worker.ts';
import type { Analyzed } from './scan.ts';

// Compiled, the worker is analysis-worker.js beside this file; run from source (tests),
// analysis-worker.ts, loaded through tsx.
const WORKER = new URL(
  `./analysis-worker${import.meta.url.endsWith('.ts') ? '.ts' : '.js'}`,
  import.meta.url,
);

/**
 * Analysis with a time budget per message, in a pool of worker threads (one per core, up
 * to four, by default). Each worker analyses one message at a time, so a message's budget
 * starts when a worker takes it, not while it waits its turn. A message whose analysis takes
 * longer is given up (its worker is terminated and a new one started) and comes back as
 * `none` with the note "analysis exceeded N ms", for the review folder; the scan goes on. So
 * does a message whose analysis throws ("analysis failed: …"), which parse never should.
 *
 * A pool of our own rather than piscina: piscina's abort signal would count a task's time
 * in the queue against its budget, and the budget is the contract.
 */
export class BudgetedAnalyzer {
  private readonly slots: Slot[];
  private readonly queue: Job[] = [];

  constructor(
    private readonly budgetMs: number,
    private readonly maxBytes: number,
    private readonly logger: Logger,
    workers = defaultWorkers(),
  ) {
    this.slots = Array.from({ length: Math.max(1, workers) }, () => new Slot(maxBytes));
  }

  /** How many messages can be analysed at once. */
  get size(): number {
    return this.slots.length;
  }

  analyze(source: Buffer): Promise<Analyzed> {
    return new Promise<Analyzed>((resolve) => {
      this.queue.push({ source, resolve });
      this.pump();
    });
  }

  async close(): Promise<void> {
    await Promise.all(this.slots.map((s) => s.stop()));
  }

  private pump(): void {
    for (const slot of this.slots) {
      if (this.queue.length === 0) return;
      if (slot.busy) continue;
      const job = this.queue.shift()!;
      slot.busy = true;
      void this.run(slot, job).finally(() => {
        slot.busy = false;
        this.pump();
      });
    }
  }

  private async run(slot: Slot, job: Job): Promise<void> {
    let worker: Worker;
    try {
      worker = await slot.start();
    } catch (err) {
      job.resolve(unread(`analysis failed: ${(err as Error).message}`));
      return;
    }
    const { source } = job;
    await new Promise<void>((finish) => {
      const done = (analyzed: Analyzed) => {
        clearTimeout(timer);
        worker.off('message', onMessage);
        worker.off('error', onError);
        job.resolve(analyzed);
        finish();
      };
      const onMessage = (m: { analyzed?: Analyzed }) => {
        if (m.analyzed) done(m.analyzed);
      };
      // A bug in the analysis must not stop the scan: the message goes to review with why.
      const onError = (err: Error) => {
        void slot.stop();
        this.logger.error({ err: err.message, bytes: source.length }, 'analysis failed');
        done(unread(`analysis failed: ${err.message}`));
      };
      const timer = setTimeout(() => {
        void slot.stop();
        this.logger.warn({ budgetMs: this.budgetMs, bytes: source.length }, 'analysis exceeded its budget');
        done(unread(`analysis exceeded ${this.budgetMs} ms`));
      }, this.budgetMs);
      worker.on('message', onMessage);
      worker.on('error', onError);
      // A Buffer is often a view of a larger one (the socket's chunk), and a structured
      // clone copies the whole backing store: copy just the message, and hand that over.
      const own = new Uint8Array(source);
      const request: AnalysisRequest = { source: own, maxBytes: this.maxBytes };
      worker.postMessage(request, [own.buffer]);
    });
  }
}

interface Job {
  readonly source: Buffer;
  readonly resolve: (a: Analyzed) => void;
}

/**
 * A worker's heap is kept small. V8 sizes a thread's heap from the machine's memory and
 * collects lazily, so two idle-looking workers held 150 MiB after 30,000 messages. A worker
 * analyses one message at a time, whose garbage is short-lived: a small young generation,
 * and an old one bounded by the largest message it may be given (a 2 MiB prefix by
 * default; analysis holds a few copies of it).
 */
function workerLimits(maxBytes: number) {
  return {
    maxYoungGenerationSizeMb: 4,
    maxOldGenerationSizeMb: Math.max(64, Math.ceil(maxBytes / 1048576) * 24),
  };
}

/** One worker thread of the pool, started when first needed and again after a give-up. */
class Slot {
  busy = false;
  constructor(private readonly maxBytes: number) {}
  private worker?: Worker;
  private ready?: Promise<Worker>;

  start(): Promise<Worker> {
    this.ready ??= new Promise<Worker>((resolve, reject) => {
      // From source, the worker registers tsx itself before it loads the .ts module.
      const worker = WORKER.pathname.endsWith('.ts')
        ? new Worker(
            `import('tsx/esm/api').then((tsx) => { tsx.register(); return import(${JSON.stringify(WORKER.href)}); });`,
            { eval: true, resourceLimits: workerLimits(this.maxBytes) },
          )
        : new Worker(WORKER, { resourceLimits: workerLimits(this.maxBytes) });
      this.worker = worker;
      const onReady = (m: { ready?: boolean }) => {
        if (!m.ready) return;
        worker.off('message', onReady);
        resolve(worker);
      };
      worker.on('message', onReady);
      worker.once('error', reject);
    });
    return this.ready;
  }

  async stop(): Promise<void> {
    const w = this.worker;
    this.worker = undefined;
    this.ready = undefined;
    await w?.terminate();
  }
}

/** One worker per core, up to four: the main thread's own work (IMAP, SQLite) needs little. */
export function defaultWorkers(): number {
  return Math.max(1, Math.min(4, availableParallelism()));
}

/** A message the analysis gave up on: `none`, for the review folder, with the reason. */
function unread(note: string): Analyzed {
  return { message: {}, analysis: { kind: 'none', note, recipients: [] } };
}
