import { hostname } from 'node:os';
import type { Db } from './database.ts';
import { tryAdvisoryLock } from './postgres.ts';
import {
  deleteLockRow,
  type ScanLock,
  ScanLockedError,
  type ScanLocks,
  touchLockRow,
} from './scan-lock-store.ts';

/**
 * One scan per mailbox at a time across replicas sharing a PostgreSQL: a session-level
 * advisory lock per mailbox, held on a connection of its own for the length of the scan.
 * PostgreSQL frees it when that connection ends, so a replica killed in the middle of a scan
 * hands the mailbox over at once (the next tick of another replica takes it): no lease to
 * wait out. The scan_locks row beside it only says who holds it, for the error message.
 */
export class AdvisoryScanLocks implements ScanLocks {
  constructor(
    private readonly db: Db,
    private readonly now: () => Date = () => new Date(),
  ) {}

  async acquire(mailbox: string): Promise<ScanLock> {
    const lock = await tryAdvisoryLock(this.db, mailbox);
    if (!lock) {
      const held = await this.db
        .selectFrom('scan_locks')
        .select(['pid', 'host'])
        .where('mailbox', '=', mailbox)
        .executeTakeFirst();
      throw new ScanLockedError(mailbox, held ? { pid: Number(held.pid), host: held.host } : undefined);
    }
    const me = { pid: process.pid, host: hostname() };
    const at = this.now().toISOString();
    try {
      await this.db
        .insertInto('scan_locks')
        .values({ mailbox, pid: me.pid, host: me.host, acquired_at: at, heartbeat_at: at })
        .onConflict((oc) =>
          oc.column('mailbox').doUpdateSet({ pid: me.pid, host: me.host, acquired_at: at, heartbeat_at: at }),
        )
        .execute();
    } catch (err) {
      await lock.release();
      throw err;
    }
    return {
      tookOver: false,
      heartbeat: async () => {
        // The lock went with its connection: another replica may be scanning now. Stop here;
        // what this scan committed stays, and the next scan reconciles the rest.
        const lost = lock.lost();
        if (lost) throw new Error(`lost the scan lock of ${mailbox}: ${lost.message}`);
        await touchLockRow(this.db, mailbox, me, this.now());
      },
      release: async () => {
        await deleteLockRow(this.db, mailbox, me).catch(() => undefined);
        await lock.release();
      },
    };
  }
}
