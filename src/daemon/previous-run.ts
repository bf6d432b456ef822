import cron from 'node-cron';

/**
 * When a cron schedule last fell due before `now`, in its time zone; undefined when not in
 * the last 35 days. For the daemon's catch-up: a digest that fell due while it was down is
 * sent at start.
 */
export function previousRun(expression: string, timeZone: string, now: Date): Date | undefined {
  const fields = cron.parse(expression);
  const minutes = new Set(fields.minute);
  const hours = new Set(fields.hour);
  const months = new Set(fields.month);
  const doms = new Set(fields.dayOfMonth.map(String));
  const dows = new Set(fields.dayOfWeek.map((d) => Number(d) % 7));
  // Standard cron: when both day fields are restricted, either may match.
  const either = doms.size < 31 && dows.size < 7;
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone,
    hourCycle: 'h23',
    month: 'numeric',
    day: 'numeric',
    hour: 'numeric',
    minute: 'numeric',
    weekday: 'short',
    year: 'numeric',
  });
  const weekdays: Record<string, number> = { Sun: 0, Mon: 1, Tue: 2, Wed: 3, Thu: 4, Fri: 5, Sat: 6 };
  const start = Math.floor(now.getTime() / 60_000) * 60_000;
  for (let t = start; t > start - 35 * 86_400_000; t -= 60_000) {
    const p = Object.fromEntries(parts.formatToParts(new Date(t)).map((x) => [x.type, x.value]));
    if (!minutes.has(Number(p.minute)) || !hours.has(Number(p.hour)) || !months.has(Number(p.month)))
      continue;
    const dayOfMonth = doms.has(p.day!) || (doms.has('L') && isLastDay(t, timeZone));
    const dayOfWeek = dows.has(weekdays[p.weekday!] ?? -1);
    if (either ? dayOfMonth || dayOfWeek : dayOfMonth && dayOfWeek) return new Date(t);
  }
  return undefined;
}

function isLastDay(t: number, timeZone: string): boolean {
  const day = (ms: number) =>
    new Intl.DateTimeFormat('en-US', { timeZone, day: 'numeric' }).format(new Date(ms));
  return day(t + 86_400_000) === '1';
}

/**
 * The tick a cron job runs for, from the clock when it runs: now rounded to the schedule's
 * step (a second with a seconds field, else a minute). Replicas whose ticks fire a few
 * milliseconds apart, or either side of the boundary, agree on it.
 */
export function tickTime(expression: string, now = new Date()): Date {
  const step = expression.trim().split(/\s+/).length === 6 ? 1000 : 60_000;
  return new Date(Math.round(now.getTime() / step) * step);
}

/**
 * Whether the daemon should send the digest at start: it fell due (`due`) while no digest
 * was attempted, and bounced was already running before then (its first scan). On the very
 * first start nothing was missed, so nothing is sent early.
 */
export function digestMissed(times: {
  readonly due: Date | undefined;
  readonly firstScan: Date | undefined;
  readonly lastAttempt: Date | undefined;
}): boolean {
  const { due, firstScan, lastAttempt } = times;
  if (!due || !firstScan || firstScan >= due) return false;
  return !lastAttempt || lastAttempt < due;
}
