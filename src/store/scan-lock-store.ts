import { hostname } from 'node:os';
import { type Db, inTransaction } from './database.ts';

/** The scan of this mailbox is someone else's now. */
export class ScanLockedError extends Error {
  readonly code = 'ELOCKED';
  constructor(
    readonly mailbox: string,
    /** Unknown for a moment while another replica has taken the lock and not yet said so. */
    readonly holder?: { pid: number; host: string },
  ) {
    super(
      `another scan of mailbox ${mailbox} is running (${holder ? `pid ${holder.pid}${holder.host === hostname() ? '' : ` on ${holder.host}`}` : 'in another process'})`,
    );
    this.name = 'ScanLockedError';
  }
}

export interface ScanLock {
  /** The earlier holder was gone (killed): its bookkeeping is to be reconciled. */
  readonly tookOver: boolean;
  /** Says "still alive"; a lock of another host is taken over only once this is stale. */
  heartbeat(): Promise<void>;
  release(): Promise<void>;
}

type Holder = { readonly pid: number; readonly host: string };

/** The holder's row says it is alive at `at`. */
export async function touchLockRow(db: Db, mailbox: string, me: Holder, at: Date): Promise<void> {
  await db
    .updateTable('scan_locks')
    .set({ heartbeat_at: at.toISOString() })
    .where('mailbox', '=', mailbox)
    .where('pid', '=', me.pid)
    .where('host', '=', me.host)
    .execute();
}

/** The holder's row, gone (another holder's is left alone). */
export async function deleteLockRow(db: Db, mailbox: string, me: Holder): Promise<void> {
  await db
    .deleteFrom('scan_locks')
    .where('mailbox', '=', mailbox)
    .where('pid', '=', me.pid)
    .where('host', '=', me.host)
    .execute();
}

/** One scan per mailbox and database at a time. */
export interface ScanLocks {
  /** Takes the mailbox's lock, or throws ScanLockedError naming who holds it. */
  acquire(mailbox: string): Promise<ScanLock>;
}

/**
 * One scan per mailbox and database at a time, as a row in the database (SQLite; on
 * PostgreSQL, advisory-locks.ts). A holder on this
 * host whose process is gone (kill -9) is taken over at once; a holder on another host only
 * when its heartbeat is older than `staleAfterMs`.
 */
export class ScanLockStore implements ScanLocks {
  constructor(
    private readonly db: Db,
    private readonly now: () => Date = () => new Date(),
    private readonly staleAfterMs = 10 * 60_000,
  ) {}

  async acquire(mailbox: string): Promise<ScanLock> {
    const me = { pid: process.pid, host: hostname() };
    const at = this.now().toISOString();
    const tookOver = await inTransaction(this.db, async (trx) => {
      const held = await trx
        .selectFrom('scan_locks')
        .selectAll()
        .where('mailbox', '=', mailbox)
        .executeTakeFirst();
      if (held && this.alive(held)) throw new ScanLockedError(mailbox, { pid: held.pid, host: held.host });
      if (held) await trx.deleteFrom('scan_locks').where('mailbox', '=', mailbox).execute();
      await trx
        .insertInto('scan_locks')
        .values({ mailbox, pid: me.pid, host: me.host, acquired_at: at, heartbeat_at: at })
        .execute();
      return Boolean(held);
    });
    return {
      tookOver,
      heartbeat: () => touchLockRow(this.db, mailbox, me, this.now()),
      release: () => deleteLockRow(this.db, mailbox, me),
    };
  }

  private alive(held: { pid: number; host: string; heartbeat_at: string }): boolean {
    if (held.host !== hostname())
      return this.now().getTime() - Date.parse(held.heartbeat_at) < this.staleAfterMs;
    if (held.pid === process.pid) return true;
    try {
      process.kill(held.pid, 0);
      return true;
    } catch (err) {
      return (err as NodeJS.ErrnoException).code === 'EPERM';
    }
  }
}
