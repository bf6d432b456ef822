// The scan lock on PostgreSQL, against the real server: one holder per mailbox and schema,
// freed when its connection ends.
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/load-config.ts';
import { ScanLockedError } from '../../src/store/scan-lock-store.ts';
import { openTestApp } from '../helpers/app.ts';
import { sqlOn, TEST_POSTGRES, testDatabaseUrl } from '../helpers/store.ts';

const appOn = (url: string) => openTestApp(loadConfig({ env: { BOUNCED_DATABASE_URL: url } }));

describe('advisory scan locks', () => {
  it('one holder per mailbox; other mailboxes, and the same name in another schema, are free', async () => {
    const [a, b] = [testDatabaseUrl('postgres'), testDatabaseUrl('postgres')];
    const [one, two, other] = [await appOn(a), await appOn(a), await appOn(b)];
    try {
      const held = await one.locks.acquire('default');
      const err = await two.locks.acquire('default').catch((e: unknown) => e);
      expect(err).toBeInstanceOf(ScanLockedError);
      expect((err as ScanLockedError).message).toBe(
        `another scan of mailbox default is running (pid ${process.pid})`,
      );
      // Another mailbox of the same deployment, and the same name in another schema.
      const eu = await two.locks.acquire('eu');
      const elsewhere = await other.locks.acquire('default');
      await held.heartbeat();
      await held.release();
      const again = await two.locks.acquire('default');
      for (const l of [eu, elsewhere, again]) await l.release();
    } finally {
      for (const app of [one, two, other]) await app.close();
    }
  });

  it('is freed when the holding connection ends, and the holder learns it lost the lock', async () => {
    const url = testDatabaseUrl('postgres');
    const [one, two] = [await appOn(url), await appOn(url)];
    try {
      const held = await one.locks.acquire('default');
      // What PostgreSQL does for a replica killed with SIGKILL: its session ends.
      await sqlOn(
        TEST_POSTGRES,
        "select pg_terminate_backend(pid) from pg_locks where locktype = 'advisory' and granted and classid = ? and objid::bigint = (hashtext(?) :: bigint & 4294967295)",
        [0x626e6373, `${new URL(url).searchParams.get('schema')}/default`],
      );
      await expect
        .poll(async () => (await two.locks.acquire('default').then((l) => l.release())) ?? 'taken', {
          timeout: 5_000,
        })
        .toBe('taken');
      await expect(held.heartbeat()).rejects.toThrow(/lost the scan lock of default/);
      await held.release();
    } finally {
      await one.close();
      await two.close();
    }
  });
});
