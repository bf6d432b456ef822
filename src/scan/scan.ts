import { createHash } from 'node:crypto';
import type { Analysis } from '../classify/analysis.ts';
import type { Logger } from '../log/logger.ts';
import type { Mailbox, MailboxFolder } from '../mailbox/mailbox.ts';
import type { MessageInfo } from '../parse/report.ts';
import { REASONS } from '../classify/reasons/index.ts';
import { classifyEvent, immediateSuppression, type PolicySettings } from '../policy/policy.ts';
import type { EventRecord, MessageRecord } from '../store/records.ts';
import type { ScanTotals } from '../store/scan-run-store.ts';

/** The store as the scan sees it. */
export interface ScanStore {
  uidValidityOf(mailbox: string): Promise<number | undefined>;
  setUidValidity(mailbox: string, uidValidity: number): Promise<void>;
  processedUids(mailbox: string, uidValidity: number, uids: readonly number[]): Promise<Map<number, string>>;
  countedBefore(keys: readonly { messageId?: string; contentHash: string }[]): Promise<Set<string>>;
  saveBatch(records: readonly MessageRecord[]): Promise<void>;
  markMoved(mailbox: string, uidValidity: number, uids: readonly number[]): Promise<void>;
  /** Messages recorded as not yet moved that are no longer in the folder: moved after all. */
  reconcileMoved(mailbox: string, uidValidity: number, present: readonly number[]): Promise<number>;
}

export interface ScanRuns {
  start(): Promise<number>;
  finish(
    id: number,
    outcome: 'ok' | 'failed' | 'interrupted',
    totals: ScanTotals,
    error?: string,
    reviewWaiting?: number,
  ): Promise<void>;
}

export interface ScanSettings {
  readonly folder: string;
  readonly processedFolder: string;
  readonly reviewFolder: string;
  readonly batchSize: number;
  readonly maxMessageBytes: number;
}

export interface Analyzed {
  readonly message: MessageInfo;
  readonly analysis: Analysis;
}

export interface ScanDeps {
  readonly mailbox: Mailbox;
  readonly store: ScanStore;
  readonly runs: ScanRuns;
  readonly analyze: (source: Buffer) => Analyzed | Promise<Analyzed>;
  readonly logger: Logger;
  readonly settings: ScanSettings;
  readonly policy: PolicySettings;
  /** Asked between batches: true ends the scan after the batch in hand (SIGTERM). */
  readonly shouldStop?: () => boolean;
  /** Is a failure report genuine (signed VERP return path, or the sender's sent log)? */
  readonly checkReport?: (
    address: string,
    message: MessageInfo,
    analysis: Analysis,
  ) => Promise<{
    verp?: string;
    forged: boolean;
  }>;
  /** Called after each batch: the scan lock's "still alive". */
  readonly heartbeat?: () => Promise<void>;
  /** Called after a batch is committed and before it is moved (for fault-injection tests). */
  readonly afterCommit?: () => void | Promise<void>;
}

export interface ScanResult extends ScanTotals {
  readonly duplicates: number;
  readonly durationMs: number;
  readonly interrupted: boolean;
}

/**
 * One pass over the folder: find what is not yet processed, then per bounded batch fetch,
 * analyse, store (one transaction) and move. Restartable at any point: a batch committed
 * but not moved is recognised by its UID on the next pass and only moved.
 */
export async function runScan(deps: ScanDeps): Promise<ScanResult> {
  const { settings, logger } = deps;
  const started = Date.now();
  const totals = { seen: 0, bounces: 0, unrecognized: 0, moved: 0, duplicates: 0 };
  const runId = await deps.runs.start();
  let interrupted = false;
  const session = await deps.mailbox.connect().catch(async (err: Error) => {
    await deps.runs.finish(runId, 'failed', totals, err.message);
    throw err;
  });
  try {
    await session.ensureFolder(settings.processedFolder);
    await session.ensureFolder(settings.reviewFolder);
    const folder = await session.open(settings.folder);
    const previous = await deps.store.uidValidityOf(folder.path);
    if (previous !== undefined && previous !== folder.uidValidity) {
      // RFC 3501 §2.3.1.1: the UIDs we recorded no longer name these messages. Messages
      // are matched by Message-ID (or content) instead, so none is counted twice.
      logger.warn({ folder: folder.path, previous, current: folder.uidValidity }, 'UIDVALIDITY changed');
    }
    await deps.store.setUidValidity(folder.path, folder.uidValidity);
    const uids = await folder.listUids();
    // A kill between a MOVE and its bookkeeping leaves moved_at empty for messages that
    // are gone from the folder: they were moved.
    const reconciled = await deps.store.reconcileMoved(folder.path, folder.uidValidity, uids);
    if (reconciled) logger.info({ reconciled }, 'messages moved before a kill: marked moved');
    const seenKeys = new Set<string>();
    for (let i = 0; i < uids.length; i += settings.batchSize) {
      if (deps.shouldStop?.()) {
        interrupted = true;
        break;
      }
      const batch = uids.slice(i, i + settings.batchSize);
      const batchStart = Date.now();
      const counts = await scanBatch(deps, folder, batch, seenKeys);
      totals.seen += counts.seen;
      totals.bounces += counts.bounces;
      totals.unrecognized += counts.unrecognized;
      totals.moved += counts.moved;
      totals.duplicates += counts.duplicates;
      await deps.heartbeat?.();
      logger.info(
        { batch: i / settings.batchSize + 1, ...counts, ms: Date.now() - batchStart },
        'batch done',
      );
    }
    const result = { ...totals, durationMs: Date.now() - started, interrupted };
    // For the digest: how many messages wait for a person in the review folder.
    const reviewWaiting = await session.count(settings.reviewFolder).catch(() => undefined);
    await deps.runs.finish(runId, interrupted ? 'interrupted' : 'ok', totals, undefined, reviewWaiting);
    logger.info({ folder: settings.folder, ...result }, 'scan done');
    return result;
  } catch (err) {
    await deps.runs.finish(runId, 'failed', totals, (err as Error).message).catch(() => undefined);
    throw err;
  } finally {
    await session.close();
  }
}

interface BatchCounts {
  seen: number;
  bounces: number;
  unrecognized: number;
  moved: number;
  duplicates: number;
}

async function scanBatch(
  deps: ScanDeps,
  folder: MailboxFolder,
  batch: readonly number[],
  seenKeys: Set<string>,
): Promise<BatchCounts> {
  const { settings, store } = deps;
  const counts: BatchCounts = { seen: 0, bounces: 0, unrecognized: 0, moved: 0, duplicates: 0 };
  // Committed by an earlier pass that stopped before its move: move only, count nothing.
  const leftover = await store.processedUids(folder.path, folder.uidValidity, batch);
  const fresh = batch.filter((uid) => !leftover.has(uid));
  const fetched = await folder.fetch(fresh, settings.maxMessageBytes);

  const analysed = [];
  for (const msg of fetched) {
    const { message, analysis } = await deps.analyze(msg.source);
    if (analysis.truncated)
      deps.logger.warn({ uid: msg.uid, note: analysis.note }, 'report cut short by a bound');
    const contentHash = createHash('sha256').update(msg.source).digest('hex');
    analysed.push({ uid: msg.uid, message, analysis, contentHash });
  }
  const before = await store.countedBefore(
    analysed.map((a) => ({ messageId: a.message.messageId, contentHash: a.contentHash })),
  );

  const records: MessageRecord[] = [];
  for (const { uid, message, analysis, contentHash } of analysed) {
    const keys = [`hash:${contentHash}`, ...(message.messageId ? [`id:${message.messageId}`] : [])];
    const duplicate = keys.some((k) => before.has(k) || seenKeys.has(k));
    for (const k of keys) seenKeys.add(k);
    const understood = analysis.kind !== 'none';
    counts.seen++;
    if (duplicate) counts.duplicates++;
    else if (!understood) counts.unrecognized++;
    else if (analysis.kind === 'bounce') counts.bounces++;
    records.push({
      mailbox: folder.path,
      uidValidity: folder.uidValidity,
      uid,
      messageId: message.messageId,
      contentHash,
      outcome: duplicate ? 'duplicate' : analysis.kind,
      format: analysis.format,
      note: analysis.note,
      subject: message.subject,
      targetFolder: understood ? settings.processedFolder : settings.reviewFolder,
      events: duplicate
        ? []
        : await checked(deps, eventsOf(analysis, message, deps.policy), message, analysis),
    });
  }
  await store.saveBatch(records);
  await deps.afterCommit?.();

  const byTarget = new Map<string, number[]>();
  for (const [uid, target] of leftover) byTarget.set(target, [...(byTarget.get(target) ?? []), uid]);
  for (const r of records) byTarget.set(r.targetFolder, [...(byTarget.get(r.targetFolder) ?? []), r.uid]);
  for (const [target, uids] of byTarget) {
    await folder.move(uids, target);
    await store.markMoved(folder.path, folder.uidValidity, uids);
    counts.moved += uids.length;
  }
  return counts;
}

/**
 * The failures of a report checked for forgery: a forged one (enforce mode) is kept as
 * evidence, marked, and suppresses nothing.
 */
async function checked(
  deps: ScanDeps,
  events: EventRecord[],
  message: MessageInfo,
  analysis: Analysis,
): Promise<EventRecord[]> {
  if (!deps.checkReport) return events;
  const out: EventRecord[] = [];
  for (const e of events) {
    if (e.kind !== 'bounce' || e.action !== 'failed') {
      out.push(e);
      continue;
    }
    const check = await deps.checkReport(e.address, message, analysis);
    out.push({
      ...e,
      verp: check.verp,
      forged: check.forged,
      suppress: check.forged ? undefined : e.suppress,
    });
  }
  return out;
}

function eventsOf(analysis: Analysis, message: MessageInfo, policy: PolicySettings): EventRecord[] {
  const date = message.date ? new Date(message.date) : undefined;
  const occurredAt = date && !Number.isNaN(date.getTime()) ? date.toISOString() : undefined;
  return analysis.recipients.map((r) => {
    const policyClass = classifyEvent(analysis.kind, r, analysis.feedbackType);
    const rule = immediateSuppression(policyClass, policy);
    const words = REASONS.get(r.reason)?.description ?? r.reason;
    return {
      address: r.address,
      originalRecipient: r.originalRecipient,
      kind: analysis.kind,
      action: r.action,
      status: r.status,
      statusSource: r.statusSource,
      replyCode: r.replyCode,
      reason: r.reason,
      hard: r.hard,
      senderSide: r.senderSide,
      diagnostic: r.diagnostic,
      remoteMta: r.remoteMta,
      reportingMta: analysis.reportingMta,
      originalMessageId: analysis.originalMessageId,
      arrivalDate: analysis.arrivalDate,
      occurredAt,
      policyClass,
      suppress: rule ? { ...rule, cause: `${words}${r.status ? ` (${r.status})` : ''}` } : undefined,
    };
  });
}
