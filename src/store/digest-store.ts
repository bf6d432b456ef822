import { readableAddress } from '../parse/address.ts';
import type { DigestData, NewSuppression, SenderSideGroup } from '../digest/digest-data.ts';
import { approachingThreshold, type PolicySettings } from '../policy/policy.ts';
import type { Db } from './database.ts';
import { SUPPRESSION_COLUMNS, toSuppressionRow } from './suppression-row.ts';
import { softFailureEvents, softFailures } from './suppression-writer.ts';

/** The queries of the digest, and the record of digests sent. */
export class DigestStore {
  constructor(
    private readonly db: Db,
    private readonly policy: PolicySettings,
  ) {}

  /** Where the next digest starts: the end of the last one sent, or the first record kept. */
  async nextPeriodStart(): Promise<string> {
    const sent = await this.db
      .selectFrom('digests')
      .select('period_end')
      .where('outcome', '=', 'sent')
      .orderBy('id', 'desc')
      .limit(1)
      .executeTakeFirst();
    if (sent) return sent.period_end;
    const first = await this.db
      .selectFrom('processed_messages')
      .select((eb) => eb.fn.min('processed_at').as('at'))
      .executeTakeFirst();
    const log = await this.db
      .selectFrom('suppression_log')
      .select((eb) => eb.fn.min('at').as('at'))
      .executeTakeFirst();
    return [first?.at, log?.at].filter((x): x is string => Boolean(x)).sort()[0] ?? new Date(0).toISOString();
  }

  /** When the last digest attempt was made (sent, failed or empty). */
  async lastAttempt(): Promise<string | undefined> {
    const row = await this.db
      .selectFrom('digests')
      .select('attempted_at')
      .orderBy('id', 'desc')
      .limit(1)
      .executeTakeFirst();
    return row?.attempted_at;
  }

  async record(
    start: string,
    end: string,
    outcome: 'sent' | 'failed' | 'empty',
    error?: string,
  ): Promise<void> {
    await this.db
      .insertInto('digests')
      .values({
        period_start: start,
        period_end: end,
        attempted_at: new Date().toISOString(),
        outcome,
        error: error ?? null,
      })
      .execute();
  }

  async collect(start: string, end: string, timezone: string): Promise<DigestData> {
    return {
      periodStart: start,
      periodEnd: end,
      timezone,
      newSuppressions: await this.newSuppressions(start, end),
      senderSide: await this.senderSide(start, end),
      approaching: await this.approaching(new Date(end)),
      complaints: await this.complaints(start, end),
      ignored: await this.ignored(start, end),
      reviewWaiting: await this.reviewWaiting(),
    };
  }

  private async newSuppressions(start: string, end: string): Promise<NewSuppression[]> {
    const rows = await this.db
      .selectFrom('suppressions as s')
      .leftJoin('bounce_events as e', 'e.id', 's.last_event_id')
      .select([...SUPPRESSION_COLUMNS.map((c) => `s.${c}` as const), 'e.reporting_mta'])
      .where('s.active', '=', 1)
      .where((eb) =>
        eb.exists(
          eb
            .selectFrom('suppression_log as l')
            .select('l.id')
            .whereRef('l.address', '=', 's.address')
            .where('l.action', 'in', ['suppressed', 'added', 'imported'])
            .where('l.at', '>=', start)
            .where('l.at', '<', end),
        ),
      )
      .orderBy('s.address')
      .execute();
    return rows.map((r) => ({ ...toSuppressionRow(r), reportingMta: r.reporting_mta }));
  }

  private async senderSide(start: string, end: string): Promise<SenderSideGroup[]> {
    const groups = new Map<
      string,
      { domain: string; status: string | null; reason: string; count: number; example: string | null }
    >();
    const rows = this.db
      .selectFrom('bounce_events')
      .select(['address', 'status', 'reason', 'diagnostic'])
      .where('sender_side', '=', 1)
      .where('created_at', '>=', start)
      .where('created_at', '<', end)
      .stream(1000);
    for await (const r of rows) {
      const domain = r.address.slice(r.address.lastIndexOf('@') + 1);
      const key = `${domain}\u0000${r.status}\u0000${r.reason}`;
      const g = groups.get(key) ?? {
        domain,
        status: r.status,
        reason: r.reason,
        count: 0,
        example: r.diagnostic,
      };
      g.count++;
      g.example ??= r.diagnostic;
      groups.set(key, g);
    }
    return [...groups.values()].sort((a, b) => b.count - a.count || a.domain.localeCompare(b.domain));
  }

  /** Addresses not suppressed with at least half the soft failures it takes. */
  private async approaching(now: Date) {
    const since = new Date(now.getTime() - this.policy.softWindowDays * 86_400_000).toISOString();
    // A cheap first cut over the window; softFailures then applies the resets exactly.
    const candidates = await softFailureEvents(this.db)
      .select(['address', (eb) => eb.fn.countAll<number>().as('n')])
      .where((eb) => eb(eb.fn.coalesce('occurred_at', 'created_at'), '>', since))
      .where(
        'address',
        'not in',
        this.db.selectFrom('suppressions').select('address').where('active', '=', 1),
      )
      .groupBy('address')
      .execute();
    const out = [];
    for (const c of candidates) {
      if (!approachingThreshold(Number(c.n), this.policy)) continue;
      const current = await softFailures(this.db, c.address, this.policy, now);
      const last = current.at(-1);
      if (last && approachingThreshold(current.length, this.policy)) {
        out.push({ address: readableAddress(c.address), count: current.length, lastReason: last.reason });
      }
    }
    return out.sort((a, b) => b.count - a.count || a.address.localeCompare(b.address));
  }

  private async complaints(start: string, end: string) {
    const rows = await this.db
      .selectFrom('bounce_events')
      .select(['address', 'created_at', 'diagnostic'])
      .where('kind', '=', 'complaint')
      .where('created_at', '>=', start)
      .where('created_at', '<', end)
      .orderBy('id')
      .execute();
    return rows.map((r) => ({
      address: readableAddress(r.address),
      at: r.created_at,
      feedbackType: r.diagnostic,
    }));
  }

  private async ignored(start: string, end: string) {
    const rows = await this.db
      .selectFrom('processed_messages')
      .select(['outcome', (eb) => eb.fn.count<number>('id').as('n')])
      .where('outcome', 'in', ['autoreply', 'delayed'])
      .where('processed_at', '>=', start)
      .where('processed_at', '<', end)
      .groupBy('outcome')
      .execute();
    const n = (o: string) => Number(rows.find((r) => r.outcome === o)?.n ?? 0);
    const forged = await this.db
      .selectFrom('bounce_events')
      .select((eb) => eb.fn.count<number>('processed_message_id').distinct().as('n'))
      .where('forged', '=', 1)
      .where('created_at', '>=', start)
      .where('created_at', '<', end)
      .executeTakeFirst();
    return { autoreplies: n('autoreply'), delays: n('delayed'), unsigned: Number(forged?.n ?? 0) };
  }

  private async reviewWaiting(): Promise<number | null> {
    const row = await this.db
      .selectFrom('scan_runs')
      .select('review_waiting')
      .where('review_waiting', 'is not', null)
      .orderBy('id', 'desc')
      .limit(1)
      .executeTakeFirst();
    return row?.review_waiting === undefined || row.review_waiting === null
      ? null
      : Number(row.review_waiting);
  }
}
