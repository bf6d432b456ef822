import { describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/store/database.ts';
import { migrate } from '../../src/store/migrate.ts';
import { queryTemplate, rowsTemplate } from '../../src/store/query-template.ts';

describe('queryTemplate', () => {
  it('runs the compiled query with each call’s values, in the places the SQL uses them', async () => {
    const db = openDatabase(':memory:');
    try {
      await migrate(db);
      const add = queryTemplate(['action', 'address', 'at', 'cause'] as const, (q, v) =>
        q
          .insertInto('suppression_log')
          .values({ at: v.at, address: v.address, action: v.action, cause: v.cause }),
      );
      const find = queryTemplate(['address'] as const, (q, v) =>
        q
          .selectFrom('suppression_log')
          .select(['address', 'action', 'at', 'cause'])
          .where('address', '=', v.address),
      );
      await add(db, {
        address: 'a@x.example',
        action: 'suppressed',
        at: '2026-12-01T00:00:00.000Z',
        cause: null,
      });
      await add(db, {
        address: 'b@x.example',
        action: 'removed',
        at: '2026-12-02T00:00:00.000Z',
        cause: 'asked',
      });
      expect((await find(db, { address: 'b@x.example' })).rows).toEqual([
        { address: 'b@x.example', action: 'removed', at: '2026-12-02T00:00:00.000Z', cause: 'asked' },
      ]);
      // Inside a transaction too (it shares the database's compiled query).
      await db.transaction().execute(async (trx) => {
        await add(trx, {
          address: 'c@x.example',
          action: 'suppressed',
          at: '2026-12-03T00:00:00.000Z',
          cause: null,
        });
        expect((await find(trx, { address: 'c@x.example' })).rows).toHaveLength(1);
      });
    } finally {
      await db.destroy();
    }
  });

  it('refuses a constant written into the builder: every parameter must have a name', async () => {
    const db = openDatabase(':memory:');
    try {
      await migrate(db);
      const bad = queryTemplate(['address'] as const, (q, v) =>
        q
          .selectFrom('suppression_log')
          .select('at')
          .where('address', '=', v.address)
          .where('action', '=', 'removed'),
      );
      await expect(bad(db, { address: 'a@x.example' })).rejects.toThrow(/"removed" is not a placeholder/);
    } finally {
      await db.destroy();
    }
  });

  it('inserts any number of rows, each value in its row and column, returning every row in order', async () => {
    const db = openDatabase(':memory:');
    try {
      await migrate(db);
      const add = rowsTemplate(['address', 'action', 'at', 'cause'] as const, (q, rows) =>
        q.insertInto('suppression_log').values(rows).returning(['id', 'address', 'cause']),
      );
      // 75 rows go as 64 + 8 + 2 + 1: four statements, each compiled once.
      const rows = Array.from({ length: 75 }, (_, i) => ({
        address: `a${i}@x.example`,
        action: i % 2 ? 'suppressed' : 'removed',
        at: `2026-12-01T00:00:${String(i % 60).padStart(2, '0')}.000Z`,
        cause: i % 3 ? null : `cause ${i}`,
      }));
      const returned = await add(db, rows);
      expect(returned.map((r) => r.address)).toEqual(rows.map((r) => r.address));
      const stored = await db
        .selectFrom('suppression_log')
        .select(['address', 'action', 'at', 'cause'])
        .orderBy('id')
        .execute();
      expect(stored).toEqual(rows);
      // Again, inside a transaction: the same compiled statements, new values.
      await db.transaction().execute(async (trx) => {
        expect(await add(trx, rows.slice(0, 3))).toHaveLength(3);
      });
      expect(await add(db, [])).toEqual([]);
    } finally {
      await db.destroy();
    }
  });
});
