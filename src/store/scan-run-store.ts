import type { Db } from './database.ts';

export interface ScanTotals {
  readonly seen: number;
  readonly bounces: number;
  readonly unrecognized: number;
  readonly moved: number;
}

/** The folders of a scan as the server names them (`INBOX.Processed` under an INBOX. prefix). */
export interface ScanFolders {
  readonly folder: string;
  readonly processed: string;
  readonly review: string;
}

/** Where a mailbox stands: its last successful scan, and its last scan when that failed. */
export interface MailboxStatus {
  readonly mailbox: string;
  readonly lastSuccess?: Date;
  /** The last finished scan failed: when, and why (the error as the scan logged it). */
  readonly failing?: { readonly since: string; readonly error: string };
  readonly reviewWaiting?: number;
  readonly folders?: ScanFolders;
}

/**
 * One row per scan, for `bounced health` and the digest. A store scoped to a mailbox
 * (forMailbox) records its scans and reads only them; the unscoped one reads them all.
 */
export class ScanRunStore {
  constructor(
    private readonly db: Db,
    private readonly now: () => Date = () => new Date(),
    private readonly mailbox?: string,
  ) {}

  forMailbox(name: string): ScanRunStore {
    return new ScanRunStore(this.db, this.now, name);
  }

  /** This mailbox's runs (all, unscoped). */
  private runs() {
    const q = this.db.selectFrom('scan_runs');
    return this.mailbox === undefined ? q : q.where('mailbox', '=', this.mailbox);
  }

  async start(): Promise<number> {
    const row = await this.db
      .insertInto('scan_runs')
      .values({
        mailbox: this.mailbox ?? 'default',
        review_waiting: null,
        folders: null,
        started_at: this.now().toISOString(),
        outcome: 'running',
        seen: 0,
        bounces: 0,
        unrecognized: 0,
        moved: 0,
        error: null,
        finished_at: null,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    return Number(row.id);
  }

  async finish(
    id: number,
    outcome: 'ok' | 'failed' | 'interrupted',
    totals: ScanTotals,
    error?: string,
    reviewWaiting?: number,
  ): Promise<void> {
    await this.db
      .updateTable('scan_runs')
      .set({
        finished_at: this.now().toISOString(),
        outcome,
        seen: totals.seen,
        bounces: totals.bounces,
        unrecognized: totals.unrecognized,
        moved: totals.moved,
        error: error ?? null,
        ...(reviewWaiting === undefined ? {} : { review_waiting: reviewWaiting }),
      })
      .where('id', '=', id)
      .execute();
  }

  /**
   * Runs left as `running` by a process that was killed: called by the holder of the scan
   * lock, so none of them can still be running. Returns how many there were.
   */
  async markAbandoned(): Promise<number> {
    const result = await this.db
      .updateTable('scan_runs')
      .set({
        outcome: 'interrupted',
        finished_at: this.now().toISOString(),
        error: 'the process ended before the scan finished (killed)',
      })
      .where('outcome', '=', 'running')
      .where('mailbox', '=', this.mailbox ?? 'default')
      .executeTakeFirst();
    return Number(result.numUpdatedRows);
  }

  async lastSuccess(): Promise<Date | undefined> {
    const row = await this.runs()
      .select('finished_at')
      .where('outcome', '=', 'ok')
      .orderBy('id', 'desc')
      .limit(1)
      .executeTakeFirst();
    return row?.finished_at ? new Date(row.finished_at) : undefined;
  }

  /** The folders this scan uses, as the server names them. */
  async setFolders(id: number, folders: ScanFolders): Promise<void> {
    await this.db
      .updateTable('scan_runs')
      .set({ folders: JSON.stringify(folders) })
      .where('id', '=', id)
      .execute();
  }

  /** The folders of the last scan that got as far as naming them. */
  async lastFolders(): Promise<ScanFolders | undefined> {
    const row = await this.runs()
      .select('folders')
      .where('folders', 'is not', null)
      .orderBy('id', 'desc')
      .limit(1)
      .executeTakeFirst();
    return row?.folders ? (JSON.parse(row.folders) as ScanFolders) : undefined;
  }

  /** The review folder's size at the end of the last scan that counted it. */
  async lastReviewWaiting(): Promise<number | undefined> {
    const row = await this.runs()
      .select('review_waiting')
      .where('review_waiting', 'is not', null)
      .orderBy('id', 'desc')
      .limit(1)
      .executeTakeFirst();
    return row?.review_waiting === undefined || row.review_waiting === null
      ? undefined
      : Number(row.review_waiting);
  }

  /** Each of these mailboxes: its last success, whether its last scan failed, its review folder. */
  async status(names: readonly string[]): Promise<MailboxStatus[]> {
    const out: MailboxStatus[] = [];
    for (const name of names) {
      const runs = this.forMailbox(name);
      const last = await this.db
        .selectFrom('scan_runs')
        .select(['outcome', 'error', 'finished_at'])
        .where('mailbox', '=', name)
        .where('outcome', 'in', ['ok', 'failed'])
        .orderBy('id', 'desc')
        .limit(1)
        .executeTakeFirst();
      const lastSuccess = await runs.lastSuccess();
      let failing: MailboxStatus['failing'];
      if (last?.outcome === 'failed' && last.finished_at) {
        // Failing since the first failure after the last success.
        const first = await this.db
          .selectFrom('scan_runs')
          .select((eb) => eb.fn.min('finished_at').as('at'))
          .where('mailbox', '=', name)
          .where('outcome', '=', 'failed')
          .where('finished_at', '>', lastSuccess?.toISOString() ?? '')
          .executeTakeFirst();
        failing = { since: first?.at ?? last.finished_at, error: last.error ?? 'failed' };
      }
      const reviewWaiting = await runs.lastReviewWaiting();
      const folders = await runs.lastFolders();
      out.push({
        mailbox: name,
        ...(lastSuccess ? { lastSuccess } : {}),
        ...(failing ? { failing } : {}),
        ...(reviewWaiting === undefined ? {} : { reviewWaiting }),
        ...(folders ? { folders } : {}),
      });
    }
    return out;
  }

  /** When bounced first scanned with this database. */
  async firstStart(): Promise<Date | undefined> {
    const row = await this.db
      .selectFrom('scan_runs')
      .select('started_at')
      .orderBy('id', 'asc')
      .limit(1)
      .executeTakeFirst();
    return row ? new Date(row.started_at) : undefined;
  }
}
