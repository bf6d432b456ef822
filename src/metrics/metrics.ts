import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { MessageRecord } from '../store/records.ts';

/** What the metrics read from the database at each scrape (so every replica reports the same). */
export interface MetricsSource {
  /** Addresses suppressed now. */
  activeSuppressions(): Promise<number>;
  /** The end of the last successful scan, per mailbox. */
  lastSuccess(): Promise<ReadonlyMap<string, Date>>;
  /** Messages waiting in the review folder at the end of the last scan, per mailbox. */
  reviewWaiting(): Promise<ReadonlyMap<string, number>>;
}

/**
 * The daemon's Prometheus metrics (prom-client, in a registry of its own). Counters count
 * what this process did since it started, as Prometheus counters do; the gauges are read
 * from the database when scraped.
 */
export class Metrics {
  private readonly registry = new Registry();
  private readonly messages: Counter<'outcome' | 'mailbox'>;
  private readonly events: Counter<'kind' | 'reason' | 'mailbox'>;
  private readonly added: Counter<'rule'>;
  private readonly scans: Histogram<'mailbox' | 'outcome'>;
  private readonly digests: Counter<'outcome'>;
  private readonly imapFailures: Counter<'mailbox'>;

  constructor(source: MetricsSource, options: { processMetrics?: boolean } = {}) {
    const registers = [this.registry];
    if (options.processMetrics ?? true)
      collectDefaultMetrics({ register: this.registry, prefix: 'bounced_' });
    this.messages = new Counter({
      name: 'bounced_messages_total',
      help: 'Messages read, by outcome (the message kind, or duplicate)',
      labelNames: ['outcome', 'mailbox'],
      registers,
    });
    this.events = new Counter({
      name: 'bounced_events_total',
      help: 'Failure, complaint and delay events recorded, by kind, reason and mailbox',
      labelNames: ['kind', 'reason', 'mailbox'],
      registers,
    });
    this.added = new Counter({
      name: 'bounced_suppressions_added_total',
      help: 'Addresses newly suppressed, by the kind of rule: bounce (hard), complaint, soft-threshold, manual',
      labelNames: ['rule'],
      registers,
    });
    this.scans = new Histogram({
      name: 'bounced_scan_duration_seconds',
      help: 'How long a scan of a mailbox took, by outcome',
      labelNames: ['mailbox', 'outcome'],
      buckets: [0.1, 0.5, 1, 5, 15, 60, 300, 1800],
      registers,
    });
    this.digests = new Counter({
      name: 'bounced_digests_total',
      help: 'Digests by outcome: sent, empty (nothing to send) or failed',
      labelNames: ['outcome'],
      registers,
    });
    this.imapFailures = new Counter({
      name: 'bounced_imap_connection_failures_total',
      help: 'Scans that could not reach or log into the IMAP server',
      labelNames: ['mailbox'],
      registers,
    });
    new Gauge({
      name: 'bounced_suppressions',
      help: 'Addresses suppressed now',
      registers,
      async collect() {
        this.set(await source.activeSuppressions());
      },
    });
    new Gauge({
      name: 'bounced_last_successful_scan_age_seconds',
      help: 'Seconds since the last successful scan of the mailbox ended',
      labelNames: ['mailbox'],
      registers,
      async collect() {
        this.reset();
        const now = Date.now();
        for (const [mailbox, at] of await source.lastSuccess())
          this.set({ mailbox }, Math.max(0, (now - at.getTime()) / 1000));
      },
    });
    new Gauge({
      name: 'bounced_review_folder_messages',
      help: 'Messages waiting in the review folder at the end of the last scan',
      labelNames: ['mailbox'],
      registers,
      async collect() {
        this.reset();
        for (const [mailbox, n] of await source.reviewWaiting()) this.set({ mailbox }, n);
      },
    });
  }

  /** A committed batch: its messages, their events and the addresses it newly suppressed. */
  batchSaved(
    mailbox: string,
    records: readonly MessageRecord[],
    addedByRule: ReadonlyMap<string, number>,
  ): void {
    for (const m of records) {
      this.messages.inc({ outcome: m.outcome, mailbox });
      for (const e of m.events) this.events.inc({ kind: e.kind, reason: e.reason, mailbox });
    }
    for (const [rule, n] of addedByRule) this.added.inc({ rule }, n);
  }

  /** An address suppressed by hand (CLI or API). */
  manualAdd(): void {
    this.added.inc({ rule: 'manual' });
  }

  scanFinished(mailbox: string, seconds: number, outcome: 'ok' | 'failed' | 'interrupted'): void {
    this.scans.observe({ mailbox, outcome }, seconds);
  }

  imapFailure(mailbox: string): void {
    this.imapFailures.inc({ mailbox });
  }

  digest(outcome: 'sent' | 'empty' | 'failed'): void {
    this.digests.inc({ outcome });
  }

  /** The Prometheus text exposition format. */
  async render(): Promise<{ contentType: string; body: string }> {
    return { contentType: this.registry.contentType, body: await this.registry.metrics() };
  }
}
