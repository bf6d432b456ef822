import { readableAddress } from '../parse/address.ts';
import type {
  Complaint,
  DigestData,
  NewSuppression,
  Removal,
  SenderSideEvent,
} from '../digest/digest-data.ts';
import { approachingThreshold, type PolicySettings } from '../policy/policy.ts';
import type { Db } from './database.ts';
import { ScanRunStore } from './scan-run-store.ts';
import { SUPPRESSION_COLUMNS, toSuppressionRow } from './suppression-row.ts';
import { softFailureEvents, softFailures } from './suppression-writer.ts';

/** The events recorded in the period: a query to narrow. */
function eventsIn(db: Db, start: string, end: string) {
  return db.selectFrom('bounce_events').where('created_at', '>=', start).where('created_at', '<', end);
}

type EventQuery = ReturnType<typeof eventsIn>;

/** The queries of the digest, and the record of digests sent. */
export class DigestStore {
  constructor(
    private readonly db: Db,
    private readonly policy: PolicySettings,
    /** The configured mailboxes, whose state the digest reports. */
    private readonly mailboxNames: readonly string[] = ['default'],
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

  /**
   * Claims the digest that fell due at `due` for this process: true for the first claim of
   * that time, false when another replica (or process) made it. The unique key decides, on
   * SQLite and PostgreSQL alike.
   */
  async claim(due: Date, by: string): Promise<boolean> {
    const row = await this.db
      .insertInto('digest_claims')
      .values({ due_at: due.toISOString(), claimed_by: by, claimed_at: new Date().toISOString() })
      .onConflict((oc) => oc.column('due_at').doNothing())
      .returning('due_at')
      .executeTakeFirst();
    return row !== undefined;
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
      removals: await this.removals(start, end),
      hardBounces: await this.countEvents(start, end, 'bounce', (q) =>
        q.where('hard', '=', 1).where('forged', '=', 0),
      ),
      abuseComplaints: await this.countEvents(start, end, 'complaint', (q) =>
        q.where('sender_side', '=', 0).where('diagnostic', '=', 'abuse'),
      ),
      ignored: await this.ignored(start, end),
      ...(await this.mailboxes()),
    };
  }

  private async countEvents(start: string, end: string, kind: string, narrow: (q: EventQuery) => EventQuery) {
    const row = await narrow(eventsIn(this.db, start, end).where('kind', '=', kind))
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirst();
    return Number(row?.n ?? 0);
  }

  /** Suppressions taken off the list in the period, by whom, and why. */
  private async removals(start: string, end: string): Promise<Removal[]> {
    const rows = await this.db
      .selectFrom('suppression_log')
      .select(['address', 'at', 'rule', 'cause'])
      .where('action', '=', 'removed')
      .where('at', '>=', start)
      .where('at', '<', end)
      .orderBy('at')
      .execute();
    return rows.map((r) => ({
      address: readableAddress(r.address),
      at: r.at,
      by: r.rule ?? 'by hand',
      reason: r.cause,
    }));
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

  private async senderSide(start: string, end: string): Promise<SenderSideEvent[]> {
    const rows = await eventsIn(this.db, start, end)
      .select([
        'address',
        'status',
        'reason',
        'diagnostic',
        'remote_mta',
        'reporting_mta',
        'occurred_at',
        'created_at',
      ])
      .where('sender_side', '=', 1)
      .orderBy('id')
      .execute();
    return rows.map((r) => {
      const address = readableAddress(r.address);
      return {
        address,
        domain: address.slice(address.lastIndexOf('@') + 1),
        remoteMta: r.remote_mta,
        reportingMta: r.reporting_mta,
        status: r.status,
        reason: r.reason,
        diagnostic: r.diagnostic,
        at: r.occurred_at ?? r.created_at,
      };
    });
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

  /**
   * The recipients' feedback reports (not the sender-side auth-failure, fraud and virus
   * ones), one entry per address, sorted by address; "when" is when each report arrived.
   */
  private async complaints(start: string, end: string): Promise<Complaint[]> {
    const rows = await eventsIn(this.db, start, end)
      .select(['address', 'arrival_date', 'occurred_at', 'created_at', 'diagnostic'])
      .where('kind', '=', 'complaint')
      .where('sender_side', '=', 0)
      .orderBy('address')
      .orderBy('id')
      .execute();
    const byAddress = new Map<string, { first: string; last: string; count: number; types: Set<string> }>();
    for (const r of rows) {
      const arrived = r.arrival_date ? new Date(r.arrival_date) : undefined;
      const at =
        arrived && !Number.isNaN(arrived.getTime()) ? arrived.toISOString() : (r.occurred_at ?? r.created_at);
      const c = byAddress.get(r.address) ?? { first: at, last: at, count: 0, types: new Set<string>() };
      c.count++;
      if (at < c.first) c.first = at;
      if (at > c.last) c.last = at;
      c.types.add(r.diagnostic ?? 'abuse');
      byAddress.set(r.address, c);
    }
    return [...byAddress].map(([address, c]) => ({
      address: readableAddress(address),
      first: c.first,
      last: c.last,
      count: c.count,
      types: [...c.types],
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

  /** Each mailbox's state; the review folders' total when every one is known. */
  private async mailboxes(): Promise<Pick<DigestData, 'mailboxes' | 'reviewWaiting'>> {
    const status = await new ScanRunStore(this.db).status(this.mailboxNames);
    const mailboxes = status.map((m) => ({
      name: m.mailbox,
      lastSuccess: m.lastSuccess?.toISOString() ?? null,
      ...(m.failing ? { failing: m.failing } : {}),
      reviewWaiting: m.reviewWaiting ?? null,
    }));
    const known = mailboxes.map((m) => m.reviewWaiting).filter((n): n is number => n !== null);
    return { mailboxes, reviewWaiting: known.length ? known.reduce((a, b) => a + b, 0) : null };
  }
}
