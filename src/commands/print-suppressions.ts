import { printable } from '../text/printable.ts';
import type { SuppressionRow } from '../store/records.ts';

export interface SuppressionSource {
  listSuppressions(all?: boolean): Promise<SuppressionRow[]>;
}

/** `bounced suppressions list`: a table for people, or JSON lines. */
export async function printSuppressions(
  store: SuppressionSource,
  json: boolean,
  write: (line: string) => void,
  all = false,
): Promise<void> {
  const rows = await store.listSuppressions(all);
  if (json) {
    for (const r of rows) write(JSON.stringify(r));
    return;
  }
  // Addresses and causes come from bounce text: no control characters reach the terminal.
  const out = (line: string) => write(printable(line));
  if (rows.length === 0) {
    out('no suppressed addresses');
    return;
  }
  const width = Math.max(...rows.map((r) => r.address.length), 'ADDRESS'.length);
  // With --all, removed addresses are listed too: a STATE column tells them apart.
  const state = (r: SuppressionRow) => (all ? `${(r.active ? 'active' : 'removed').padEnd(8)}  ` : '');
  out(
    `${'ADDRESS'.padEnd(width)}  ${all ? 'STATE     ' : ''}${'REASON'.padEnd(12)}  ${'STATUS'.padEnd(7)}  COUNT  LAST BOUNCE`,
  );
  for (const r of rows) {
    out(
      `${r.address.padEnd(width)}  ${state(r)}${r.reason.padEnd(12)}  ${(r.status ?? '-').padEnd(7)}  ${String(r.bounceCount).padStart(5)}  ${r.lastBouncedAt}`,
    );
  }
  const active = rows.filter((r) => r.active).length;
  out(
    `${active} suppressed address${active === 1 ? '' : 'es'}${all ? `, ${rows.length - active} removed` : ''}`,
  );
}
