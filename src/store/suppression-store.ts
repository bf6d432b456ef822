import { suppressionKey } from '../parse/address.ts';
import { type Db, inTransaction } from './database.ts';
import { toSuppressionRow } from './suppression-row.ts';
import type { SuppressionRow } from './records.ts';
import { isSuppressed, log, suppress } from './suppression-writer.ts';

export interface EvidenceRow {
  readonly at: string;
  readonly kind: string;
  readonly action: string;
  readonly status: string | null;
  readonly reason: string;
  readonly diagnostic: string | null;
  readonly reportingMta: string | null;
  readonly messageRef: string;
  readonly originalMessageId: string | null;
  /** The mailbox the report was read from. */
  readonly mailbox: string;
}

export interface HistoryRow {
  readonly at: string;
  readonly action: string;
  readonly source: string | null;
  readonly rule: string | null;
  readonly cause: string | null;
}

export interface SuppressionDetail {
  /** The stored key: the domain in A-label form. */
  readonly key: string;
  readonly suppression?: SuppressionRow;
  readonly evidence: readonly EvidenceRow[];
  readonly history: readonly HistoryRow[];
  /** Every event recorded for the address, suppressing or not. */
  readonly events: readonly EvidenceRow[];
}

/** The suppression list as people change it: add, remove, import, show. */
export class SuppressionStore {
  constructor(
    private readonly db: Db,
    private readonly now: () => Date = () => new Date(),
  ) {}

  /**
   * Adds an address by hand (source "manual"). Idempotent: an address already on the list
   * is left as it is (false), so a second add neither changes its cause nor counts an event.
   */
  async add(
    address: string,
    reason = 'added by hand',
    action: 'added' | 'imported' = 'added',
  ): Promise<boolean> {
    const at = this.now().toISOString();
    const key = suppressionKey(address);
    // suppress() writes the history line ("suppressed", source manual, the rule).
    return inTransaction(this.db, async (trx) => {
      if (await isSuppressed(trx, key)) return false;
      await suppress(
        trx,
        key,
        { source: 'manual', rule: action === 'imported' ? 'imported' : 'added by hand' },
        { reason: 'manual', cause: reason },
        [],
        at,
      );
      return true;
    });
  }

  /**
   * Takes an address off the list. Its history stays; a later hard bounce suppresses it
   * again, and its soft-failure count starts from now.
   */
  async remove(address: string, reason = 'removed by hand', by = 'by hand'): Promise<boolean> {
    const at = this.now().toISOString();
    const key = suppressionKey(address);
    return inTransaction(this.db, async (trx) => {
      const result = await trx
        .updateTable('suppressions')
        .set({ active: 0, removed_at: at, removed_reason: reason, updated_at: at })
        .where('address', '=', key)
        .where('active', '=', 1)
        .executeTakeFirst();
      if (Number(result.numUpdatedRows) === 0) return false;
      // Who or what removed it, for the history and the digest: "root via the CLI".
      await log(trx, key, 'removed', { source: 'manual', rule: by }, reason, at);
      return true;
    });
  }

  /** Either form of an IDN address finds the same record (the key is its A-label form). */
  async show(address: string): Promise<SuppressionDetail> {
    const key = suppressionKey(address);
    const row = await this.db
      .selectFrom('suppressions')
      .selectAll()
      .where('address', '=', key)
      .executeTakeFirst();
    const evidence = row
      ? await this.db
          .selectFrom('suppression_evidence as se')
          .innerJoin('bounce_events as e', 'e.id', 'se.event_id')
          .select(eventColumns)
          .where('se.suppression_id', '=', row.id)
          .orderBy('e.id')
          .execute()
      : [];
    const events = await this.db
      .selectFrom('bounce_events as e')
      .select(eventColumns)
      .where('e.address', '=', key)
      .orderBy('e.id')
      .execute();
    const history = await this.db
      .selectFrom('suppression_log')
      .select(['at', 'action', 'source', 'rule', 'cause'])
      .where('address', '=', key)
      .orderBy('id')
      .execute();
    return {
      key,
      suppression: row ? toSuppressionRow(row) : undefined,
      evidence: evidence.map(toEvidence),
      events: events.map(toEvidence),
      history,
    };
  }
}

const eventColumns = [
  'e.created_at',
  'e.occurred_at',
  'e.kind',
  'e.action',
  'e.status',
  'e.reason',
  'e.diagnostic',
  'e.reporting_mta',
  'e.message_ref',
  'e.original_message_id',
  'e.mailbox',
] as const;

function toEvidence(e: {
  created_at: string;
  occurred_at: string | null;
  kind: string;
  action: string;
  status: string | null;
  reason: string;
  diagnostic: string | null;
  reporting_mta: string | null;
  message_ref: string;
  original_message_id: string | null;
  mailbox: string;
}): EvidenceRow {
  return {
    at: e.occurred_at ?? e.created_at,
    kind: e.kind,
    action: e.action,
    status: e.status,
    reason: e.reason,
    diagnostic: e.diagnostic,
    reportingMta: e.reporting_mta,
    messageRef: e.message_ref,
    originalMessageId: e.original_message_id,
    mailbox: e.mailbox,
  };
}
