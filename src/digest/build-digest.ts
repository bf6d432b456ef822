import { printable } from '../text/printable.ts';
import { REASONS } from '../classify/reasons/index.ts';
import { csvLine } from '../export/csv.ts';
import { describeSuppression, EXPORT_COLUMNS, exportRow } from '../export/export-row.ts';
import type { DigestData, NewSuppression } from './digest-data.ts';

export interface DigestMessage {
  readonly subject: string;
  readonly text: string;
  readonly html: string;
  /** The new suppressions, with the export's columns. */
  readonly csv: string;
}

const SOURCE_TITLES: Readonly<Record<string, string>> = {
  bounce: 'Hard bounces',
  complaint: 'Complaints',
  'soft-threshold': 'Repeated soft failures',
  manual: 'Added by hand',
};

/** Data → the digest email. Pure: no I/O, the same data gives the same message. */
export function buildDigest(d: DigestData): DigestMessage {
  const date = dateFormat(d.timezone);
  const period = `${date(d.periodStart)} – ${date(d.periodEnd)} (${d.timezone})`;
  const bySource = groupBy(d.newSuppressions, (s) => s.source);
  const senderTotal = d.senderSide.reduce((n, g) => n + g.count, 0);
  const subject = `bounced digest: ${plural(d.newSuppressions.length, 'new suppression')}, ${plural(senderTotal, 'sender-side failure')}`;

  const text: string[] = [`bounced digest for ${period}`, ''];
  const html: string[] = [
    '<!doctype html><html><body style="font-family:-apple-system,Segoe UI,Helvetica,Arial,sans-serif;font-size:14px;color:#222;max-width:900px">',
    `<h1 style="font-size:20px">bounced digest</h1><p>${esc(period)}</p>`,
  ];

  text.push(`NEW SUPPRESSIONS: ${d.newSuppressions.length}`);
  html.push(`<h2 style="font-size:17px">New suppressions: ${d.newSuppressions.length}</h2>`);
  if (d.newSuppressions.length === 0) {
    text.push('  none', '');
    html.push('<p>None.</p>');
  }
  for (const [source, rows] of bySource) {
    const title = SOURCE_TITLES[source] ?? source;
    text.push(`  ${title} (${rows.length})`);
    html.push(`<h3 style="font-size:15px">${esc(title)} (${rows.length})</h3>`, table(SUPPRESSION_HEADINGS));
    for (const s of rows) {
      text.push(
        `    ${s.address}`,
        `      ${describeSuppression(s)}${s.status ? ` · status ${s.status}` : ''}${s.reportingMta ? ` · reported by ${s.reportingMta}` : ''}`,
        `      first ${date(s.firstBouncedAt)} · last ${date(s.lastBouncedAt)} · ${plural(s.bounceCount, 'event')}`,
      );
      if (s.diagnostic) text.push(`      "${excerpt(s.diagnostic)}"`);
      html.push(
        row([
          s.address,
          describeSuppression(s),
          s.status ?? '',
          excerpt(s.diagnostic ?? ''),
          s.reportingMta ?? '',
          date(s.firstBouncedAt),
          date(s.lastBouncedAt),
          String(s.bounceCount),
        ]),
      );
    }
    text.push('');
    html.push('</table>');
  }

  text.push(`SENDER-SIDE FAILURES: ${senderTotal} (your sending, not the addresses: nothing was suppressed)`);
  html.push(
    `<h2 style="font-size:17px">Sender-side failures: ${senderTotal}</h2><p>These are about your sending, not the addresses; nothing was suppressed.</p>`,
  );
  if (d.senderSide.length === 0) {
    text.push('  none', '');
    html.push('<p>None.</p>');
  } else {
    html.push(table(['Domain', 'Status', 'Count', 'What it is', 'Example', 'What to fix']));
    for (const g of d.senderSide) {
      const rule = REASONS.get(g.reason);
      text.push(
        `  ${g.domain} · ${g.status ?? 'no status'} · ${g.count}× · ${rule?.description ?? g.reason}`,
        `    fix: ${rule?.advice ?? 'read the diagnostic'}`,
      );
      if (g.example) text.push(`    e.g. "${excerpt(g.example)}"`);
      html.push(
        row([
          g.domain,
          g.status ?? '',
          String(g.count),
          rule?.description ?? g.reason,
          excerpt(g.example ?? ''),
          rule?.advice ?? 'read the diagnostic',
        ]),
      );
    }
    text.push('');
    html.push('</table>');
  }

  text.push(`APPROACHING THE SOFT-FAILURE THRESHOLD: ${d.approaching.length}`);
  html.push(
    `<h2 style="font-size:17px">Approaching the soft-failure threshold: ${d.approaching.length}</h2>`,
  );
  if (d.approaching.length) html.push(table(['Address', 'Soft failures', 'Last reason']));
  if (d.approaching.length === 0) text.push('  none');
  for (const a of d.approaching) {
    text.push(`  ${a.address} · ${plural(a.count, 'soft failure')} · last: ${a.lastReason}`);
    html.push(row([a.address, String(a.count), a.lastReason]));
  }
  text.push('');
  html.push(d.approaching.length ? '</table>' : '<p>None.</p>');

  text.push(`COMPLAINTS: ${d.complaints.length}`);
  html.push(`<h2 style="font-size:17px">Complaints: ${d.complaints.length}</h2>`);
  if (d.complaints.length) html.push(table(['Address', 'When', 'Type']));
  if (d.complaints.length === 0) text.push('  none');
  for (const c of d.complaints) {
    text.push(`  ${c.address} · ${date(c.at)}${c.feedbackType ? ` · ${c.feedbackType}` : ''}`);
    html.push(row([c.address, date(c.at), c.feedbackType ?? '']));
  }
  text.push('');
  html.push(d.complaints.length ? '</table>' : '<p>None.</p>');

  const review = d.reviewWaiting === null ? 'unknown' : String(d.reviewWaiting);
  // verp.mode enforce: failure reports without a valid signed return path, never suppressed.
  const unsigned = `${plural(d.ignored.unsigned, 'unsigned report')} ignored`;
  text.push(
    `IGNORED: ${plural(d.ignored.autoreplies, 'auto-reply', 'auto-replies')}, ${plural(d.ignored.delays, 'delay warning')}, ${unsigned}`,
    `WAITING IN THE REVIEW FOLDER: ${review}`,
    '',
    'The new suppressions are attached as CSV.',
  );
  html.push(
    `<h2 style="font-size:17px">Ignored</h2><p>${esc(plural(d.ignored.autoreplies, 'auto-reply', 'auto-replies'))}, ${esc(plural(d.ignored.delays, 'delay warning'))}, ${esc(unsigned)}.</p>`,
    `<h2 style="font-size:17px">Waiting in the review folder: ${esc(review)}</h2>`,
    '<p>The new suppressions are attached as CSV.</p></body></html>',
  );

  return {
    subject,
    // The text part is read in terminals too (digest --dry-run): no control characters.
    text: printable(`${text.join('\n')}\n`),
    html: html.join('\n'),
    csv: suppressionsCsv(d.newSuppressions),
  };
}

const SUPPRESSION_HEADINGS = [
  'Address',
  'Cause',
  'Status',
  'Diagnostic',
  'Reported by',
  'First',
  'Last',
  'Count',
];

function suppressionsCsv(rows: readonly NewSuppression[]): string {
  return csvLine(EXPORT_COLUMNS) + rows.map((s) => csvLine(exportRow(s))).join('');
}

/** Every value in the HTML is escaped: bounce text comes from strangers' servers. */
export function esc(value: string): string {
  return value.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

function table(headings: readonly string[]): string {
  const th = headings.map(
    (h) => `<th style="text-align:left;border-bottom:1px solid #ccc;padding:4px 8px">${esc(h)}</th>`,
  );
  return `<table style="border-collapse:collapse;font-size:13px"><tr>${th.join('')}</tr>`;
}

function row(cells: readonly string[]): string {
  return `<tr>${cells.map((c) => `<td style="vertical-align:top;border-bottom:1px solid #eee;padding:4px 8px">${esc(c)}</td>`).join('')}</tr>`;
}

function excerpt(s: string, max = 160): string {
  const flat = s.replace(/\s+/g, ' ').trim();
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
}

function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}

function groupBy<T>(items: readonly T[], key: (t: T) => string): Map<string, T[]> {
  const out = new Map<string, T[]>();
  for (const i of items) out.set(key(i), [...(out.get(key(i)) ?? []), i]);
  return out;
}

function dateFormat(timeZone: string): (iso: string) => string {
  const f = new Intl.DateTimeFormat('en-GB', { timeZone, dateStyle: 'medium', timeStyle: 'short' });
  return (iso) => {
    const d = new Date(iso);
    return Number.isNaN(d.getTime()) ? iso : f.format(d);
  };
}
