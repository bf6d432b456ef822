import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import type { Logger } from '../log/logger.ts';
import { type AnalysisRequest, type AnalysisResult, CURRENT, STARTED } from './analysis-protocol.ts';
import type { Analyzed, HashedAnalysis } from './scan.ts';

// Compiled, the worker is analysis-worker.js beside this file; run from source (tests),
// analysis-worker.ts, loaded through tsx.
const WORKER = new URL(
  `./analysis-worker${import.meta.url.endsWith('.ts') ? '.ts' : '.js'}`,
  import.meta.url,
);

/**
 * Analysis with a time budget per message, in a pool of worker threads (one per core, up
 * to four, by default). A batch is cut into one chunk per worker, handed over in one
 * message each way: a hand-over per message, or more chunks than workers, left the workers
 * idle while the main thread was busy with IMAP or SQLite and could not hand them the next.
 *
 * A message's budget starts when its worker takes it, not while it waits its turn: the
 * worker writes the index and start of the message in hand into shared memory, and a timer
 * on this side reads it. A message whose analysis takes longer is given up (its worker is
 * terminated and a new one started) and comes back as `none` with the note "analysis
 * exceeded N ms", for the review folder; the rest of its chunk is analysed again by a fresh
 * worker, and the scan goes on. So does a message whose analysis throws ("analysis failed:
 * …"), which parse never should.
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
    /** The worker's module (tests give one that stalls or throws on demand). */
    workerUrl: URL = WORKER,
  ) {
    this.slots = Array.from({ length: Math.max(1, workers) }, () => new Slot(maxBytes, workerUrl));
  }

  /**
   * Starts the workers now: loading the analysis takes each ~100 ms, which the scan spends
   * listing the folder instead of waiting. A failure to start is reported when a message
   * is given to the worker.
   */
  warm(): void {
    for (const slot of this.slots) slot.start().catch(() => undefined);
  }

  /** How many messages can be analysed at once. */
  get size(): number {
    return this.slots.length;
  }

  /** Every message analysed, in order. Never rejects: a failure is a `none` with a note. */
  async analyzeAll(sources: readonly Buffer[]): Promise<HashedAnalysis[]> {
    const per = Math.max(1, Math.ceil(sources.length / this.slots.length));
    const parts: Promise<HashedAnalysis[]>[] = [];
    for (let i = 0; i < sources.length; i += per) parts.push(this.enqueue(sources.slice(i, i + per)));
    return (await Promise.all(parts)).flat();
  }

  async close(): Promise<void> {
    await Promise.all(this.slots.map((s) => s.stop()));
  }

  /** A chunk to analyse: at the back of the queue, or at its front (what a give-up left). */
  private enqueue(sources: readonly Buffer[], first = false): Promise<HashedAnalysis[]> {
    if (sources.length === 0) return Promise.resolve([]);
    return new Promise<HashedAnalysis[]>((resolve) => {
      if (first) this.queue.unshift({ sources, resolve });
      else this.queue.push({ sources, resolve });
      this.pump();
    });
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
      job.resolve(job.sources.map(() => unread(`analysis failed: ${(err as Error).message}`)));
      return;
    }
    const { sources } = job;
    const outcome = await new Promise<Outcome>((finish) => {
      let timer: NodeJS.Timeout | undefined;
      const done = (o: Outcome) => {
        clearTimeout(timer);
        worker.off('message', onMessage);
        worker.off('error', onError);
        finish(o);
      };
      const onMessage = (m: { results?: AnalysisResult[] }) => {
        if (m.results) done({ results: m.results });
      };
      // A worker that dies (out of memory, say) is blamed on the message in its hands.
      const onError = (err: Error) => {
        const at = slot.current();
        void slot.stop();
        this.logger.error(
          { err: err.message, bytes: at === undefined ? undefined : sources[at]?.length },
          'analysis failed',
        );
        done({ failedAt: at, note: `analysis failed: ${err.message}` });
      };
      // Wakes when the message in hand would reach its budget; by then it may be another.
      const watch = (delay: number) => {
        timer = setTimeout(() => {
          const at = slot.current();
          if (at === undefined) return watch(this.budgetMs); // finished: its answer is on the way
          const elapsed = Date.now() - slot.startedAt();
          if (elapsed < this.budgetMs) return watch(this.budgetMs - elapsed);
          void slot.stop();
          this.logger.warn(
            { budgetMs: this.budgetMs, bytes: sources[at]?.length },
            'analysis exceeded its budget',
          );
          done({ failedAt: at, note: `analysis exceeded ${this.budgetMs} ms` });
        }, delay);
      };
      worker.on('message', onMessage);
      worker.on('error', onError);
      slot.reset();
      watch(this.budgetMs);
      worker.postMessage(...request(sources, this.maxBytes));
    });
    if ('results' in outcome) {
      job.resolve(outcome.results.map((r, i) => resultOf(r, sources[i]!, this.logger)));
      return;
    }
    // The message given up on comes back with its note; the rest of the chunk is analysed
    // again by a fresh worker (at the front of the queue, with budgets of their own).
    const at = outcome.failedAt;
    if (at === undefined) {
      job.resolve(sources.map(() => unread(outcome.note)));
      return;
    }
    const before = this.enqueue(sources.slice(0, at), true);
    const after = this.enqueue(sources.slice(at + 1), true);
    void Promise.all([before, after]).then(([b, a]) => job.resolve([...b, unread(outcome.note), ...a]));
  }
}

type Outcome = { results: AnalysisResult[] } | { failedAt: number | undefined; note: string };

interface Job {
  readonly sources: readonly Buffer[];
  readonly resolve: (a: HashedAnalysis[]) => void;
}

/**
 * The chunk as one transferable block. A Buffer is often a view of a larger one (the
 * socket's chunk), and a structured clone copies the whole backing store: the messages are
 * copied, back to back, into one block of their own, which is handed over, not copied.
 */
function request(sources: readonly Buffer[], maxBytes: number): [AnalysisRequest, ArrayBuffer[]] {
  const total = sources.reduce((n, s) => n + s.length, 0);
  const bytes = new Uint8Array(total);
  const ends: number[] = [];
  let at = 0;
  for (const s of sources) {
    bytes.set(s, at);
    at += s.length;
    ends.push(at);
  }
  return [{ bytes, ends, maxBytes }, [bytes.buffer]];
}

function resultOf(r: AnalysisResult, source: Buffer, logger: Logger): HashedAnalysis {
  if ('analyzed' in r) return { ...r.analyzed, contentHash: r.contentHash };
  logger.error({ err: r.error, bytes: source.length }, 'analysis failed');
  return { ...unread(`analysis failed: ${r.error}`), contentHash: r.contentHash };
}

/**
 * A worker's old generation is bounded, so that a runaway analysis fails its message (the
 * worker dies and the message goes to review) rather than the process. The bound is 2 GiB,
 * not the few copies of the largest message that analysis holds (64 MiB, as it was): under
 * 2 GiB V8 ran the analysis ~13 % slower at the same collections, for a cause inside V8 not
 * found (README, Scan speed). The young generation is V8's own: at 4 MiB it collected ~260
 * times a 10,000-message scan instead of ~70. The heap stays small all the same: the old
 * generation grows by 20 % between collections (the entry point's flag) and a message's
 * garbage is short-lived; a scan of 100,000 messages peaked at 192–194 MiB.
 */
function workerLimits(maxBytes: number) {
  return { maxOldGenerationSizeMb: Math.max(2048, Math.ceil(maxBytes / 1048576) * 24) };
}

/** One worker thread of the pool, started when first needed and again after a give-up. */
class Slot {
  busy = false;
  private worker?: Worker;
  private ready?: Promise<Worker>;
  /**
   * Written by the worker: which message of its chunk it is on, and since when. Each worker
   * has its own: one being terminated may still write for a moment.
   */
  private progress = new BigInt64Array(new SharedArrayBuffer(16));

  constructor(
    private readonly maxBytes: number,
    private readonly url: URL,
  ) {}

  start(): Promise<Worker> {
    this.ready ??= new Promise<Worker>((resolve, reject) => {
      this.progress = new BigInt64Array(new SharedArrayBuffer(16));
      const options = {
        resourceLimits: workerLimits(this.maxBytes),
        workerData: { progress: this.progress },
      };
      // From source, the worker registers tsx itself before it loads the .ts module.
      const worker = this.url.pathname.endsWith('.ts')
        ? new Worker(
            `import('tsx/esm/api').then((tsx) => { tsx.register(); return import(${JSON.stringify(this.url.href)}); });`,
            { eval: true, ...options },
          )
        : new Worker(this.url, options);
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

  /** Before a chunk is handed over: no message in hand yet. */
  reset(): void {
    Atomics.store(this.progress, CURRENT, -1n);
  }

  /** The index of the message the worker is analysing, if any. */
  current(): number | undefined {
    const at = Number(Atomics.load(this.progress, CURRENT));
    return at < 0 ? undefined : at;
  }

  startedAt(): number {
    return Number(Atomics.load(this.progress, STARTED));
  }

  async stop(): Promise<void> {
    const w = this.worker;
    this.worker = undefined;
    this.ready = undefined;
    await w?.terminate();
  }
}

/**
 * One worker per core but one, up to four: the main thread keeps a core for IMAP and
 * SQLite. On 2 cores one worker scanned as fast as two (`npm run bench:e2e`: the main
 * thread is the longer path) and the process peaked 20–40 MiB lower.
 */
export function defaultWorkers(): number {
  return Math.max(1, Math.min(4, availableParallelism() - 1));
}

/** A message the analysis gave up on: `none`, for the review folder, with the reason. */
function unread(note: string): Analyzed {
  return { message: {}, analysis: { kind: 'none', note, recipients: [] } };
}
