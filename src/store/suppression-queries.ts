import type { ExpressionBuilder } from 'kysely';
import type { DatabaseSchema } from './schema.ts';
import { suppressionKey } from '../parse/address.ts';
import type { Db } from './database.ts';
import { queryTemplate } from './query-template.ts';
import type { SuppressionRow } from './records.ts';
import { inLists } from './statement-shapes.ts';
import { SUPPRESSION_COLUMNS, toSuppressionRow } from './suppression-row.ts';

/** An active suppression as a sender asks about it: the row and how many events back it. */
export interface SuppressionView extends SuppressionRow {
  readonly evidenceCount: number;
}

export interface SuppressionPage {
  readonly items: readonly SuppressionView[];
  /** The last stored key of this page: the next page starts after it. Absent on the last page. */
  readonly after?: string;
}

/** The events kept as a suppression's evidence, counted over the evidence index. */
const evidenceCount = (eb: ExpressionBuilder<DatabaseSchema & { s: DatabaseSchema['suppressions'] }, 's'>) =>
  eb
    .selectFrom('suppression_evidence as se')
    .select((e) => e.fn.countAll<number>().as('n'))
    .whereRef('se.suppression_id', '=', 's.id')
    .as('evidence_count');

// The lookup a sender makes before each send: compiled once (see queryTemplate), one
// indexed read of the unique address index and a count over the evidence index.
const lookupActive = queryTemplate(['address', 'active'], (db, v) =>
  db
    .selectFrom('suppressions as s')
    .select(SUPPRESSION_COLUMNS.map((c) => `s.${c}` as const))
    .select(evidenceCount)
    .where('s.address', '=', v.address)
    .where('s.active', '=', v.active),
);

/** The read side of the suppression list, for the HTTP API. */
export class SuppressionQueries {
  constructor(private readonly db: Db) {}

  /** The active suppression of this address, or undefined when it is not suppressed. */
  async lookup(address: string): Promise<SuppressionView | undefined> {
    const { rows } = await lookupActive(this.db, { address: suppressionKey(address), active: 1 });
    const row = rows[0];
    return row ? { ...toSuppressionRow(row), evidenceCount: Number(row.evidence_count ?? 0) } : undefined;
  }

  /** Which of these addresses are suppressed (active), by their stored keys. */
  async suppressedKeys(addresses: readonly string[]): Promise<Set<string>> {
    const keys = [...new Set(addresses.map(suppressionKey))];
    const out = new Set<string>();
    for (const chunk of inLists(keys)) {
      const rows = await this.db
        .selectFrom('suppressions')
        .select('address')
        .where('address', 'in', chunk)
        .where('active', '=', 1)
        .execute();
      for (const r of rows) out.add(r.address);
    }
    return out;
  }

  /**
   * Active suppressions in key order, `limit` at a time, after a key (the cursor); with
   * `since`, only those added or renewed since then (as `bounced export --since`).
   */
  async page(options: { after?: string; since?: string; limit: number }): Promise<SuppressionPage> {
    let q = this.db
      .selectFrom('suppressions as s')
      .select(SUPPRESSION_COLUMNS.map((c) => `s.${c}` as const))
      .select(evidenceCount)
      .where('s.active', '=', 1)
      .orderBy('s.address')
      .limit(options.limit + 1);
    if (options.after !== undefined) q = q.where('s.address', '>', options.after);
    if (options.since !== undefined) q = q.where('s.updated_at', '>=', options.since);
    const rows = await q.execute();
    const more = rows.length > options.limit;
    const items = rows.slice(0, options.limit);
    return {
      items: items.map((r) => ({ ...toSuppressionRow(r), evidenceCount: Number(r.evidence_count ?? 0) })),
      // The stored key, not the readable form: the next page's query compares keys.
      ...(more ? { after: items.at(-1)!.address } : {}),
    };
  }

  /** How many addresses are suppressed now (for the metrics). */
  async activeCount(): Promise<number> {
    const row = await this.db
      .selectFrom('suppressions')
      .select((e) => e.fn.countAll<number>().as('n'))
      .where('active', '=', 1)
      .executeTakeFirstOrThrow();
    return Number(row.n);
  }
}
