// What the digest says before any list: the numbers of the period, the rates against the
// providers' thresholds, and the sender-side failures rolled up. Pure functions of DigestData.
import type { DigestData, SenderSideEvent } from './digest-data.ts';
import { type Provider, providerOf } from './mailbox-provider.ts';

export const RULE_ORDER = ['bounce', 'complaint', 'soft-threshold', 'manual'] as const;

export const RULE_TITLES: Readonly<Record<string, string>> = {
  bounce: 'Hard bounces',
  complaint: 'Complaints',
  'soft-threshold': 'Repeated soft failures',
  manual: 'Added by hand',
};

export interface Rate {
  readonly label: string;
  readonly count: number;
  readonly percent: number;
  /** ok, watch (near a threshold) or over (above the level providers penalise). */
  readonly level: 'ok' | 'watch' | 'over';
  /** The threshold in words: "Gmail and Yahoo: keep under 0.1 %, never 0.3 %". */
  readonly threshold: string;
}

export interface Summary {
  readonly newByRule: readonly { readonly source: string; readonly title: string; readonly count: number }[];
  readonly newTotal: number;
  readonly senderSideByReason: readonly { readonly reason: string; readonly count: number }[];
  readonly senderSideTotal: number;
  readonly removals: number;
  readonly review: number | null;
  /** The rates, or why there are none. */
  readonly rates: readonly Rate[] | { readonly why: string };
}

/**
 * The providers' published limits. Gmail's and Yahoo's bulk-sender rules (February 2024):
 * a spam-complaint rate under 0.1 %, and never 0.3 % or more. Bounces: above 2 % the
 * providers start to throttle, and at 3 % or more they penalise the sender.
 */
const COMPLAINT_WATCH = 0.1;
const COMPLAINT_OVER = 0.3;
const BOUNCE_WATCH = 2;
const BOUNCE_OVER = 3;

export function summarize(d: DigestData): Summary {
  const counts = new Map<string, number>();
  for (const s of d.newSuppressions) counts.set(s.source, (counts.get(s.source) ?? 0) + 1);
  const reasons = new Map<string, number>();
  for (const e of d.senderSide) reasons.set(e.reason, (reasons.get(e.reason) ?? 0) + 1);
  return {
    newByRule: [...RULE_ORDER, ...[...counts.keys()].filter((k) => !RULE_ORDER.includes(k as never))].map(
      (source) => ({ source, title: RULE_TITLES[source] ?? source, count: counts.get(source) ?? 0 }),
    ),
    newTotal: d.newSuppressions.length,
    senderSideByReason: [...reasons]
      .map(([reason, count]) => ({ reason, count }))
      .sort((a, b) => b.count - a.count || a.reason.localeCompare(b.reason)),
    senderSideTotal: d.senderSide.length,
    removals: d.removals.length,
    review: d.reviewWaiting,
    rates: rates(d),
  };
}

function rates(d: DigestData): Summary['rates'] {
  if (!d.sent)
    return {
      why: 'set digest.sentCount (a command or a URL that returns how many messages were sent) to compare the bounce and complaint rates with the providers’ thresholds',
    };
  if ('unavailable' in d.sent) return { why: `digest.sentCount failed: ${d.sent.unavailable}` };
  const sent = d.sent.count;
  if (sent === 0) return { why: 'digest.sentCount says no messages were sent in the period' };
  const pct = (n: number) => Math.round((n / sent) * 100_000) / 1000;
  const bounce = pct(d.hardBounces);
  const complaint = pct(d.abuseComplaints);
  return [
    {
      label: 'Hard-bounce rate',
      count: d.hardBounces,
      percent: bounce,
      level: bounce >= BOUNCE_OVER ? 'over' : bounce >= BOUNCE_WATCH ? 'watch' : 'ok',
      threshold: `providers throttle above ${BOUNCE_WATCH} % and penalise at ${BOUNCE_OVER} %`,
    },
    {
      label: 'Complaint rate',
      count: d.abuseComplaints,
      percent: complaint,
      level: complaint >= COMPLAINT_OVER ? 'over' : complaint >= COMPLAINT_WATCH ? 'watch' : 'ok',
      threshold: `Gmail and Yahoo: keep under ${COMPLAINT_WATCH} %, never ${COMPLAINT_OVER} %`,
    },
  ];
}

export interface SenderSideGroup {
  readonly reason: string;
  readonly provider: Provider;
  readonly count: number;
  /** The domains most failures came from, with their counts, most first. */
  readonly domains: readonly { readonly domain: string; readonly count: number }[];
  readonly statuses: readonly string[];
  readonly example: string | null;
}

/** Whose servers refused: judged from the receiving server first, then the reporting one, then the domain. */
export function providerOfEvent(e: SenderSideEvent): Provider {
  return providerOf(e.domain, e.remoteMta, e.reportingMta);
}

/** Sender-side failures by reason and provider, biggest first: one fix per group. */
export function rollUp(events: readonly SenderSideEvent[]): SenderSideGroup[] {
  const groups = new Map<
    string,
    {
      reason: string;
      provider: Provider;
      count: number;
      domains: Map<string, number>;
      statuses: Set<string>;
      example: string | null;
    }
  >();
  for (const e of events) {
    const provider = providerOfEvent(e);
    const key = `${e.reason}\u0000${provider}`;
    const g = groups.get(key) ?? {
      reason: e.reason,
      provider,
      count: 0,
      domains: new Map<string, number>(),
      statuses: new Set<string>(),
      example: null,
    };
    g.count++;
    g.domains.set(e.domain, (g.domains.get(e.domain) ?? 0) + 1);
    if (e.status) g.statuses.add(e.status);
    g.example ??= e.diagnostic;
    groups.set(key, g);
  }
  return [...groups.values()]
    .map((g) => ({
      reason: g.reason,
      provider: g.provider,
      count: g.count,
      domains: [...g.domains]
        .map(([domain, count]) => ({ domain, count }))
        .sort((a, b) => b.count - a.count || a.domain.localeCompare(b.domain)),
      statuses: [...g.statuses].sort(),
      example: g.example,
    }))
    .sort(
      (a, b) => b.count - a.count || a.provider.localeCompare(b.provider) || a.reason.localeCompare(b.reason),
    );
}

/** "Dec 1 08:40" in the digest's time zone: one short line, never wrapped. */
export function compactDate(timeZone: string): (iso: string) => string {
  const f = new Intl.DateTimeFormat('en-US', {
    timeZone,
    month: 'short',
    day: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  });
  return (iso) => {
    const d = new Date(iso);
    if (Number.isNaN(d.getTime())) return iso;
    const part = Object.fromEntries(f.formatToParts(d).map((p) => [p.type, p.value]));
    return `${part.month} ${part.day} ${part.hour}:${part.minute}`;
  };
}
