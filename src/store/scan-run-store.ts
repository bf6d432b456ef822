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

/** One row per scan, for `bounced health` and the digest. */
export class ScanRunStore {
  constructor(
    private readonly db: Db,
    private readonly now: () => Date = () => new Date(),
  ) {}

  async start(): Promise<number> {
    const row = await this.db
      .insertInto('scan_runs')
      .values({
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
      .executeTakeFirst();
    return Number(result.numUpdatedRows);
  }

  async lastSuccess(): Promise<Date | undefined> {
    const row = await this.db
      .selectFrom('scan_runs')
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
    const row = await this.db
      .selectFrom('scan_runs')
      .select('folders')
      .where('folders', 'is not', null)
      .orderBy('id', 'desc')
      .limit(1)
      .executeTakeFirst();
    return row?.folders ? (JSON.parse(row.folders) as ScanFolders) : undefined;
  }

  /** The review folder's size at the end of the last scan that counted it. */
  async lastReviewWaiting(): Promise<number | undefined> {
    const row = await this.db
      .selectFrom('scan_runs')
      .select('review_waiting')
      .where('review_waiting', 'is not', null)
      .orderBy('id', 'desc')
      .limit(1)
      .executeTakeFirst();
    return row?.review_waiting === undefined || row.review_waiting === null
      ? undefined
      : Number(row.review_waiting);
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
