import { suppressionKey } from '../parse/address.ts';
import type { PolicySettings, Suppression } from '../policy/policy.ts';
import { type Db, inTransaction } from './database.ts';
import { type MessageRecord, messageRef, type SuppressionRow } from './records.ts';
import { rowsTemplate } from './query-template.ts';
import { inLists } from './statement-shapes.ts';
import { toSuppressionRow } from './suppression-row.ts';
import { applyBatchSuppressions } from './batch-suppressions.ts';

// The batch's rows, many to a statement, compiled once per group size (see rowsTemplate).
const insertMessages = rowsTemplate(
  [
    'mailbox',
    'uidvalidity',
    'uid',
    'message_id',
    'content_hash',
    'outcome',
    'format',
    'note',
    'subject',
    'target_folder',
    'processed_at',
  ],
  (db, rows) => db.insertInto('processed_messages').values(rows).returning(['id', 'uid']),
);
const insertEvents = rowsTemplate(
  [
    'processed_message_id',
    'address',
    'original_recipient',
    'kind',
    'action',
    'status',
    'status_source',
    'reply_code',
    'reason',
    'hard',
    'sender_side',
    'diagnostic',
    'remote_mta',
    'reporting_mta',
    'original_message_id',
    'arrival_date',
    'message_ref',
    'created_at',
    'occurred_at',
    'verp',
    'forged',
    'mailbox',
  ],
  (db, rows) =>
    db.insertInto('bounce_events').values(rows).returning(['id', 'processed_message_id', 'address']),
);

/**
 * The queries of the scan: processed messages, their events and the suppressions they cause.
 * A store belongs to one mailbox (by its name): a folder's state is keyed `name/folder`, so
 * two mailboxes with an INBOX never share one, and its events record the name.
 */
export class BounceStore {
  constructor(
    private readonly db: Db,
    private readonly policy: PolicySettings,
    private readonly now: () => Date = () => new Date(),
    readonly mailboxName = 'default',
  ) {}

  /** The same store for another mailbox. */
  forMailbox(name: string): BounceStore {
    return new BounceStore(this.db, this.policy, this.now, name);
  }

  /** A folder of this mailbox, as the store keys it. */
  private key(folder: string): string {
    return `${this.mailboxName}/${folder}`;
  }

  async uidValidityOf(mailbox: string): Promise<number | undefined> {
    const row = await this.db
      .selectFrom('mailbox_state')
      .select('uidvalidity')
      .where('mailbox', '=', this.key(mailbox))
      .executeTakeFirst();
    return row ? Number(row.uidvalidity) : undefined;
  }

  async setUidValidity(mailbox: string, uidValidity: number): Promise<void> {
    await this.db
      .insertInto('mailbox_state')
      .values({ mailbox: this.key(mailbox), uidvalidity: uidValidity, updated_at: this.now().toISOString() })
      .onConflict((oc) =>
        oc.column('mailbox').doUpdateSet({ uidvalidity: uidValidity, updated_at: this.now().toISOString() }),
      )
      .execute();
  }

  /** The folder's HIGHESTMODSEQ when the last complete scan of this UIDVALIDITY ended. */
  async modseqOf(mailbox: string, uidValidity: number): Promise<string | undefined> {
    const row = await this.db
      .selectFrom('mailbox_state')
      .select('highest_modseq')
      .where('mailbox', '=', this.key(mailbox))
      .where('uidvalidity', '=', uidValidity)
      .executeTakeFirst();
    return row?.highest_modseq ?? undefined;
  }

  /** Records it at the end of a complete scan; null at the start of one (a crash leaves none). */
  async setModseq(mailbox: string, modseq: string | null): Promise<void> {
    await this.db
      .updateTable('mailbox_state')
      .set({ highest_modseq: modseq, updated_at: this.now().toISOString() })
      .where('mailbox', '=', this.key(mailbox))
      .execute();
  }

  /** UIDs of this mailbox generation already recorded, with the folder each was meant for. */
  async processedUids(
    mailbox: string,
    uidValidity: number,
    uids: readonly number[],
  ): Promise<Map<number, string>> {
    const out = new Map<number, string>();
    for (const chunk of inLists(uids)) {
      const rows = await this.db
        .selectFrom('processed_messages')
        .select(['uid', 'target_folder'])
        .where('mailbox', '=', this.key(mailbox))
        .where('uidvalidity', '=', uidValidity)
        .where('uid', 'in', chunk)
        .execute();
      for (const r of rows) out.set(Number(r.uid), r.target_folder);
    }
    return out;
  }

  /**
   * Which of these messages were counted before under another UID (after a UIDVALIDITY
   * change, or a message moved back by hand): matched by Message-ID, else by content hash.
   */
  async countedBefore(keys: readonly { messageId?: string; contentHash: string }[]): Promise<Set<string>> {
    const ids = keys.map((k) => k.messageId).filter((id): id is string => Boolean(id));
    const hashes = keys.map((k) => k.contentHash);
    const seen = new Set<string>();
    for (const chunk of inLists(ids)) {
      const rows = await this.db
        .selectFrom('processed_messages')
        .select('message_id')
        .where('message_id', 'in', chunk)
        .where('outcome', '!=', 'duplicate')
        .execute();
      for (const r of rows) if (r.message_id) seen.add(`id:${r.message_id}`);
    }
    for (const chunk of inLists(hashes)) {
      const rows = await this.db
        .selectFrom('processed_messages')
        .select('content_hash')
        .where('content_hash', 'in', chunk)
        .where('outcome', '!=', 'duplicate')
        .execute();
      for (const r of rows) seen.add(`hash:${r.content_hash}`);
    }
    return seen;
  }

  /**
   * One batch in one transaction: the messages, their events, and the suppressions. The
   * messages and the events are inserted many rows to a statement; the suppressions follow
   * the events in order, with what they read read once for the batch (batch-suppressions.ts).
   */
  async saveBatch(
    records: readonly MessageRecord[],
  ): Promise<{ suppressed: number; addedBy: ReadonlyMap<Suppression['source'], number> }> {
    const at = this.now().toISOString();
    let suppressed = 0;
    // Newly suppressed addresses by the kind of rule (bounce, complaint, soft-threshold).
    const addedBy = new Map<Suppression['source'], number>();
    const added = (source: Suppression['source']) => {
      suppressed++;
      addedBy.set(source, (addedBy.get(source) ?? 0) + 1);
    };
    await inTransaction(this.db, async (trx) => {
      const messageIds = new Map<number, number>();
      const messageRows = await insertMessages(
        trx,
        records.map((m) => ({
          mailbox: this.key(m.mailbox),
          uidvalidity: m.uidValidity,
          uid: m.uid,
          message_id: m.messageId ?? null,
          content_hash: m.contentHash,
          outcome: m.outcome,
          format: m.format ?? null,
          note: m.note ?? null,
          subject: m.subject?.slice(0, 500) ?? null,
          target_folder: m.targetFolder,
          processed_at: at,
        })),
      );
      // A batch is one folder of one UIDVALIDITY: the UID names the row.
      for (const r of messageRows) messageIds.set(Number(r.uid), Number(r.id));
      const events = records.flatMap((m) =>
        m.events.map((e) => ({ e, key: suppressionKey(e.address), messageId: messageIds.get(m.uid)!, m })),
      );
      // RETURNING's order is not promised, so each row is matched back by its message and
      // address (two events of one message for one address are told apart by order only).
      const eventIds = new Map<string, number[]>();
      const eventRows = await insertEvents(
        trx,
        events.map(({ e, key, messageId, m }) => ({
          processed_message_id: messageId,
          address: key,
          original_recipient: e.originalRecipient ?? null,
          kind: e.kind,
          action: e.action,
          status: e.status ?? null,
          status_source: e.statusSource ?? null,
          reply_code: e.replyCode ?? null,
          reason: e.reason,
          hard: e.hard ? 1 : 0,
          sender_side: e.senderSide ? 1 : 0,
          diagnostic: e.diagnostic?.slice(0, 2000) ?? null,
          remote_mta: e.remoteMta ?? null,
          reporting_mta: e.reportingMta ?? null,
          original_message_id: e.originalMessageId ?? null,
          arrival_date: e.arrivalDate ?? null,
          message_ref: messageRef(m.mailbox, m.uidValidity, m.uid),
          created_at: at,
          occurred_at: e.occurredAt ?? at,
          verp: e.verp ?? null,
          forged: e.forged ? 1 : 0,
          mailbox: this.mailboxName,
        })),
      );
      for (const r of eventRows.sort((a, b) => Number(a.id) - Number(b.id))) {
        const k = `${r.processed_message_id} ${r.address}`;
        const ids = eventIds.get(k);
        if (ids) ids.push(Number(r.id));
        else eventIds.set(k, [Number(r.id)]);
      }
      const batch = events.map(({ e, key, messageId }) => ({
        id: eventIds.get(`${messageId} ${key}`)!.shift()!,
        key,
        kind: e.kind,
        action: e.action,
        hard: e.hard,
        senderSide: e.senderSide,
        forged: Boolean(e.forged),
        occurredAt: e.occurredAt ?? at,
        policyClass: e.policyClass,
        suppress: e.suppress,
        cause: {
          reason: e.reason,
          cause: e.suppress?.cause ?? e.reason,
          status: e.status,
          replyCode: e.replyCode,
          diagnostic: e.diagnostic,
          mailbox: this.mailboxName,
        },
      }));
      for (const source of await applyBatchSuppressions(trx, batch, this.policy, this.now(), at))
        added(source);
    });
    return { suppressed, addedBy };
  }

  async markMoved(mailbox: string, uidValidity: number, uids: readonly number[]): Promise<void> {
    const at = this.now().toISOString();
    for (const chunk of inLists(uids)) {
      await this.db
        .updateTable('processed_messages')
        .set({ moved_at: at })
        .where('mailbox', '=', this.key(mailbox))
        .where('uidvalidity', '=', uidValidity)
        .where('uid', 'in', chunk)
        .execute();
    }
  }

  /** The sender's own log of what it sent (verp.sentLog): is this message in it, for this recipient? */
  async wasSent(messageId: string, recipient: string): Promise<boolean> {
    const row = await this.db
      .selectFrom('sent_messages')
      .select('recipient')
      .where('message_id', '=', messageId)
      .executeTakeFirst();
    return row !== undefined && suppressionKey(row.recipient.toLowerCase()) === suppressionKey(recipient);
  }

  async reconcileMoved(mailbox: string, uidValidity: number, present: readonly number[]): Promise<number> {
    const pending = await this.db
      .selectFrom('processed_messages')
      .select(['id', 'uid'])
      .where('mailbox', '=', this.key(mailbox))
      .where('uidvalidity', '=', uidValidity)
      .where('moved_at', 'is', null)
      .execute();
    if (pending.length === 0) return 0;
    const here = new Set(present);
    const gone = pending.filter((p) => !here.has(Number(p.uid))).map((p) => Number(p.id));
    const at = this.now().toISOString();
    for (const chunk of inLists(gone))
      await this.db
        .updateTable('processed_messages')
        .set({ moved_at: at })
        .where('id', 'in', chunk)
        .execute();
    return gone.length;
  }

  /** The suppressed addresses (active ones; `all` includes removed ones too). */
  async listSuppressions(all = false): Promise<SuppressionRow[]> {
    let q = this.db.selectFrom('suppressions').selectAll().orderBy('address');
    if (!all) q = q.where('active', '=', 1);
    return (await q.execute()).map(toSuppressionRow);
  }
}
