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
 * Analysis with a time budget per message. A message whose analysis takes longer is given
 * up (the worker is terminated and a new one started) and comes back as `none` with the
 * note "analysis exceeded N ms", for the review folder; the scan goes on. So does a message
 * whose analysis throws ("analysis failed: …"), which parse never should.
 */
export class BudgetedAnalyzer {
  private worker?: Worker;
  private ready?: Promise<void>;
  private next = 0;

  constructor(
    private readonly budgetMs: number,
    private readonly maxBytes: number,
    private readonly logger: Logger,
  ) {}

  async analyze(source: Buffer): Promise<Analyzed> {
    const worker = await this.start();
    const id = this.next++;
    return new Promise<Analyzed>((resolve) => {
      const done = () => {
        clearTimeout(timer);
        worker.off('message', onMessage);
        worker.off('error', onError);
      };
      const onMessage = (m: { id: number; analyzed: Analyzed }) => {
        if (m.id !== id) return;
        done();
        resolve(m.analyzed);
      };
      // A bug in the analysis must not stop the scan: the message goes to review with why.
      const onError = (err: Error) => {
        done();
        this.stop();
        this.logger.error({ err: err.message, bytes: source.length }, 'analysis failed');
        resolve(unread(`analysis failed: ${err.message}`));
      };
      const timer = setTimeout(() => {
        done();
        this.stop();
        this.logger.warn({ budgetMs: this.budgetMs, bytes: source.length }, 'analysis exceeded its budget');
        resolve(unread(`analysis exceeded ${this.budgetMs} ms`));
      }, this.budgetMs);
      worker.on('message', onMessage);
      worker.on('error', onError);
      const request: AnalysisRequest = { id, source, maxBytes: this.maxBytes };
      worker.postMessage(request);
    });
  }

  async close(): Promise<void> {
    const w = this.worker;
    this.stop();
    await w?.terminate();
  }

  private async start(): Promise<Worker> {
    if (!this.worker) {
      // From source, the worker registers tsx itself before it loads the .ts module.
      const worker = WORKER.pathname.endsWith('.ts')
        ? new Worker(
            `import('tsx/esm/api').then((tsx) => { tsx.register(); return import(${JSON.stringify(WORKER.href)}); });`,
            { eval: true },
          )
        : new Worker(WORKER);
      this.worker = worker;
      this.ready = new Promise<void>((resolve, reject) => {
        const onReady = (m: { ready?: boolean }) => {
          if (!m.ready) return;
          worker.off('message', onReady);
          resolve();
        };
        worker.on('message', onReady);
        worker.once('error', reject);
      });
    }
    await this.ready;
    return this.worker;
  }

  private stop(): void {
    void this.worker?.terminate();
    this.worker = undefined;
    this.ready = undefined;
  }
}

/** A message the analysis gave up on: `none`, for the review folder, with the reason. */
function unread(note: string): Analyzed {
  return { message: {}, analysis: { kind: 'none', note, recipients: [] } };
}
