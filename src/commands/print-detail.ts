import { printable } from '../text/printable.ts';
import type { EvidenceRow, SuppressionDetail } from '../store/suppression-store.ts';

/** `bounced suppressions show ADDRESS`: the suppression, its evidence and its history. */
export function printDetail(
  address: string,
  d: SuppressionDetail,
  json: boolean,
  write: (line: string) => void,
): void {
  if (json) {
    write(JSON.stringify({ address, ...d }));
    return;
  }
  // Addresses and diagnostics are written by whoever runs the remote server.
  const out = (line: string) => write(printable(line));
  const s = d.suppression;
  if (!s) out(`${address}: not suppressed, never was`);
  else {
    out(`${address}: ${s.active ? 'SUPPRESSED' : `not suppressed (removed ${s.removedAt})`}`);
    out(`  source ${s.source} · rule: ${s.rule ?? '-'}`);
    out(`  cause: ${s.cause}`);
    out(
      `  reason ${s.reason} · status ${s.status ?? '-'} · first ${s.firstBouncedAt} · last ${s.lastBouncedAt} · ${s.bounceCount} event(s)`,
    );
    if (s.diagnostic) out(`  diagnostic: ${s.diagnostic}`);
    if (d.key !== s.address) out(`  stored as ${d.key}`);
  }
  out('');
  out(`Evidence (${d.evidence.length}):`);
  for (const e of d.evidence) event(e);
  out('');
  out(`History (${d.history.length}):`);
  for (const h of d.history)
    out(`  ${h.at}  ${h.action}${h.source ? ` (${h.source})` : ''}${h.cause ? `: ${h.cause}` : ''}`);
  out('');
  out(`All events for this address (${d.events.length}):`);
  for (const e of d.events) event(e);

  // One event: when, what, and where to find the message it came from.
  function event(e: EvidenceRow): void {
    out(`  ${e.at}  ${e.kind}/${e.action}  ${e.status ?? '-'}  ${e.reason}  ${e.messageRef}`);
    const about = [
      e.originalMessageId ? `about <${e.originalMessageId}>` : '',
      e.reportingMta ? `reported by ${e.reportingMta}` : '',
    ].filter(Boolean);
    if (about.length) out(`      ${about.join(' · ')}`);
    if (e.diagnostic) out(`      ${e.diagnostic.slice(0, 200)}`);
  }
}
