import { REASONS } from '../classify/reasons/index.ts';
import { csvLine } from '../export/csv.ts';
import { describeSuppression, EXPORT_COLUMNS, exportRow } from '../export/export-row.ts';
import { printable } from '../text/printable.ts';
import type { DigestData, NewSuppression } from './digest-data.ts';
import {
  block,
  COLORS,
  type Column,
  cut,
  dataTable,
  documentOf,
  esc,
  heading,
  muted,
} from './digest-html.ts';
import {
  compactDate,
  providerOfEvent,
  RULE_ORDER,
  RULE_TITLES,
  rollUp,
  type Summary,
  summarize,
} from './digest-summary.ts';

export { esc } from './digest-html.ts';

export interface DigestAttachment {
  readonly filename: string;
  readonly content: string;
  readonly contentType: string;
}

export interface DigestMessage {
  readonly subject: string;
  readonly text: string;
  /** A complete HTML document. */
  readonly html: string;
  /** The new suppressions, with the export's columns. */
  readonly csv: string;
  /** What the mail carries: the new suppressions, and every row of every section, uncut. */
  readonly attachments: readonly DigestAttachment[];
}

export interface DigestOptions {
  /** Rows shown per section; the rest are in the attached CSV. */
  readonly cap?: number;
}

const MAILBOX_COLUMNS: readonly Column[] = [
  { title: 'Mailbox', width: 34 },
  { title: 'State', width: 18 },
  { title: 'Last scan', width: 28 },
  { title: 'Review', width: 20 },
];

const DETAIL_COLUMNS = [
  'section',
  'address',
  'domain',
  'provider',
  'reason',
  'status',
  'count',
  'first',
  'last',
  'detail',
];

/** Data → the digest email. Pure: no I/O, the same data gives the same message. */
export function buildDigest(d: DigestData, options: DigestOptions = {}): DigestMessage {
  const cap = options.cap ?? 50;
  const date = compactDate(d.timezone);
  const period = `${date(d.periodStart)} – ${date(d.periodEnd)} (${d.timezone})`;
  const summary = summarize(d);
  const groups = rollUp(d.senderSide);
  const failing = (d.mailboxes ?? []).filter((m) => m.failing);
  const subject = `bounced digest: ${failing.length ? `${plural(failing.length, 'mailbox', 'mailboxes')} failing, ` : ''}${plural(summary.newTotal, 'new suppression')}, ${plural(summary.senderSideTotal, 'sender-side failure')}`;
  const day = d.periodEnd.slice(0, 10);
  const more = (n: number, file: string) =>
    n > cap ? `and ${n - cap} more in the attached ${file}` : undefined;
  const suppressionsFile = `new-suppressions-${day}.csv`;
  const detailsFile = `digest-details-${day}.csv`;

  const text: string[] = [`bounced digest for ${period}`, ''];
  const html: string[] = [
    block(`<h1 style="margin:0;font-size:20px;line-height:26px;">bounced digest</h1>${muted(period)}`),
  ];

  // A mailbox that cannot be scanned comes first: its bounces are not being read at all.
  if (failing.length) {
    text.push(`MAILBOXES FAILING: ${failing.length} (their bounces are not being read)`);
    html.push(heading(`Mailboxes failing: ${failing.length}`));
    for (const m of failing) {
      const last = m.lastSuccess
        ? `last successful scan ${date(m.lastSuccess)}`
        : 'never scanned successfully';
      text.push(
        `  ${m.name} · failing since ${date(m.failing!.since)} · ${last}`,
        `    "${cut(m.failing!.error, 200)}"`,
      );
      html.push(
        block(
          `<div style="font-weight:bold;color:${COLORS.over};">${esc(`${m.name} · failing since ${date(m.failing!.since)}`)}</div><div>${muted(esc(last))}</div><div style="word-break:break-word;overflow-wrap:anywhere;">${esc(`“${cut(m.failing!.error, 200)}”`)}</div>`,
        ),
      );
    }
    text.push('');
  }

  // The summary: everything ops need to know before reading any list.
  text.push(...summaryText(summary), '');
  html.push(summaryHtml(summary));

  // New suppressions, by the rule that fired.
  text.push(`NEW SUPPRESSIONS: ${d.newSuppressions.length}`);
  html.push(heading(`New suppressions: ${d.newSuppressions.length}`));
  if (d.newSuppressions.length === 0) {
    text.push('  none');
    html.push(block('None.'));
  }
  const bySource = groupBy(d.newSuppressions, (s) => s.source);
  const sources = [
    ...RULE_ORDER.filter((r) => bySource.has(r)),
    ...[...bySource.keys()].filter((k) => !RULE_ORDER.includes(k as never)),
  ];
  for (const source of sources) {
    const rows = bySource.get(source)!;
    const title = RULE_TITLES[source] ?? source;
    text.push(`  ${title} (${rows.length})`);
    for (const s of rows.slice(0, cap)) {
      text.push(
        `    ${s.address}`,
        `      ${describeSuppression(s)}${s.status ? ` · status ${s.status}` : ''}${s.reportingMta ? ` · reported by ${s.reportingMta}` : ''}`,
        `      first ${date(s.firstBouncedAt)} · last ${date(s.lastBouncedAt)} · ${plural(s.bounceCount, 'event')}`,
      );
      if (s.diagnostic) text.push(`      "${cut(s.diagnostic, 160)}"`);
    }
    const rest = more(rows.length, suppressionsFile);
    if (rest) text.push(`    ${rest}`);
    html.push(
      heading(`${title} (${rows.length})`, 3),
      block(
        dataTable(
          SUPPRESSION_COLUMNS,
          rows.slice(0, cap).map((s) => [s.address, causeOf(s), s.status ?? '', date(s.lastBouncedAt)]),
        ) + (rest ? `<p style="margin:6px 0 0 0;">${muted(rest)}</p>` : ''),
      ),
    );
  }
  text.push('');

  // Sender-side failures: one group per reason and provider, the fix said once.
  text.push(
    `SENDER-SIDE FAILURES: ${d.senderSide.length} (your sending, not the addresses: nothing was suppressed)`,
  );
  html.push(
    heading(`Sender-side failures: ${d.senderSide.length}`),
    block(muted('About your sending, not the addresses: nothing was suppressed. One fix per group.')),
  );
  if (groups.length === 0) {
    text.push('  none');
    html.push(block('None.'));
  }
  for (const g of groups.slice(0, cap)) {
    const rule = REASONS.get(g.reason);
    const what = rule?.description ?? g.reason;
    const fix = rule?.advice ?? 'read the diagnostic';
    const top = g.domains.slice(0, 3).map((x) => `${x.domain} (${x.count})`);
    const others = g.domains.length > 3 ? `, and ${g.domains.length - 3} more domains` : '';
    const statuses = g.statuses.length ? ` · ${g.statuses.join(', ')}` : '';
    text.push(
      `  ${g.provider} · ${what}${statuses} · ${g.count}×`,
      `    fix: ${fix}`,
      `    domains: ${top.join(', ')}${others}`,
    );
    if (g.example) text.push(`    e.g. "${cut(g.example, 160)}"`);
    html.push(
      block(
        [
          `<div style="font-weight:bold;">${esc(`${g.provider} · ${what}`)} <span style="color:${COLORS.over};">${esc(`${g.count}×`)}</span>${esc(statuses)}</div>`,
          `<div><b>Fix:</b> ${esc(fix)}</div>`,
          `<div>${muted(`Domains: ${top.join(', ')}${others}`)}</div>`,
          g.example
            ? `<div style="word-break:break-word;overflow-wrap:anywhere;">${muted(`e.g. “${cut(g.example, 140)}”`)}</div>`
            : '',
        ].join(''),
      ),
    );
  }
  const restGroups = more(groups.length, detailsFile);
  if (restGroups) {
    text.push(`  ${restGroups}`);
    html.push(block(muted(restGroups)));
  }
  text.push('');

  // Complaints: one line per address, when the reports arrived, and their types.
  text.push(`COMPLAINTS: ${d.complaints.length}`);
  html.push(heading(`Complaints: ${d.complaints.length}`));
  if (d.complaints.length === 0) {
    text.push('  none');
    html.push(block('None.'));
  } else {
    for (const c of d.complaints.slice(0, cap))
      text.push(
        `  ${c.address} · ${whenOf(c.first, c.last, date)} · ${c.types.join(', ')}${c.count > 1 ? ` · ${c.count} reports` : ''}`,
      );
    html.push(
      block(
        dataTable(
          COMPLAINT_COLUMNS,
          d.complaints
            .slice(0, cap)
            .map((c) => [c.address, c.types.join(', '), String(c.count), date(c.last)]),
        ),
      ),
    );
  }
  pushRest(more(d.complaints.length, detailsFile));

  text.push(`APPROACHING THE SOFT-FAILURE THRESHOLD: ${d.approaching.length}`);
  html.push(heading(`Approaching the soft-failure threshold: ${d.approaching.length}`));
  if (d.approaching.length === 0) {
    text.push('  none');
    html.push(block('None.'));
  } else {
    for (const a of d.approaching.slice(0, cap))
      text.push(`  ${a.address} · ${plural(a.count, 'soft failure')} · last: ${a.lastReason}`);
    html.push(
      block(
        dataTable(
          APPROACHING_COLUMNS,
          d.approaching.slice(0, cap).map((a) => [a.address, String(a.count), a.lastReason]),
        ),
      ),
    );
  }
  pushRest(more(d.approaching.length, detailsFile));

  text.push(`REMOVED FROM THE LIST: ${d.removals.length}`);
  html.push(heading(`Removed from the list: ${d.removals.length}`));
  if (d.removals.length === 0) {
    text.push('  none');
    html.push(block('None.'));
  } else {
    for (const r of d.removals.slice(0, cap))
      text.push(`  ${r.address} · ${date(r.at)} · ${r.by}${r.reason ? ` · "${cut(r.reason, 120)}"` : ''}`);
    html.push(
      block(
        dataTable(
          REMOVAL_COLUMNS,
          d.removals.slice(0, cap).map((r) => [r.address, date(r.at), r.by, cut(r.reason ?? '', 60)]),
        ),
      ),
    );
  }
  pushRest(more(d.removals.length, detailsFile));

  // Several mailboxes: each one's last scan and review folder.
  if ((d.mailboxes?.length ?? 0) > 1) {
    text.push(`MAILBOXES: ${d.mailboxes!.length}`);
    html.push(heading(`Mailboxes: ${d.mailboxes!.length}`));
    const rows = d.mailboxes!.map((m) => [
      m.name,
      m.failing ? 'FAILING' : m.lastSuccess ? 'ok' : 'not scanned yet',
      m.lastSuccess ? date(m.lastSuccess) : 'never',
      m.reviewWaiting === null ? 'unknown' : String(m.reviewWaiting),
    ]);
    for (const r of rows)
      text.push(`  ${r[0]} · ${r[1]} · last successful scan ${r[2]} · ${r[3]} for review`);
    html.push(block(dataTable(MAILBOX_COLUMNS, rows)));
    text.push('');
  }

  const review = d.reviewWaiting === null ? 'unknown' : String(d.reviewWaiting);
  // verp.mode enforce: failure reports without a valid signed return path, never suppressed.
  const ignored = `${plural(d.ignored.autoreplies, 'auto-reply', 'auto-replies')}, ${plural(d.ignored.delays, 'delay warning')}, ${plural(d.ignored.unsigned, 'unsigned report')} ignored`;
  text.push(
    `IGNORED: ${ignored}`,
    `WAITING IN THE REVIEW FOLDER: ${review}`,
    '',
    'Full lists are in the attached CSV files.',
  );
  html.push(
    heading('Also'),
    block(`Ignored: ${esc(ignored)}.<br>Waiting in the review folder: ${esc(review)}.`),
    block(muted('Full lists are in the attached CSV files.')),
  );

  const csv = suppressionsCsv(d.newSuppressions);
  return {
    subject,
    // The text part is read in terminals too (digest --dry-run): no control characters.
    text: printable(`${text.join('\n')}\n`),
    html: documentOf(subject, html),
    csv,
    attachments: [
      { filename: suppressionsFile, content: csv, contentType: 'text/csv; charset=utf-8' },
      { filename: detailsFile, content: detailsCsv(d), contentType: 'text/csv; charset=utf-8' },
    ],
  };

  function pushRest(rest: string | undefined): void {
    if (rest) {
      text.push(`  ${rest}`);
      html.push(block(muted(rest)));
    }
    text.push('');
  }
}

function summaryText(s: Summary): string[] {
  const lines = [
    'SUMMARY',
    `  New suppressions: ${s.newTotal}${
      s.newTotal
        ? ` (${s.newByRule
            .filter((r) => r.count)
            .map((r) => `${r.title.toLowerCase()} ${r.count}`)
            .join(', ')})`
        : ''
    }`,
    `  Sender-side failures: ${s.senderSideTotal}${
      s.senderSideTotal
        ? ` (${s.senderSideByReason
            .slice(0, 4)
            .map((r) => `${r.reason} ${r.count}`)
            .join(', ')})`
        : ''
    }`,
    `  Removed from the list: ${s.removals}`,
    `  Waiting in the review folder: ${s.review ?? 'unknown'}`,
  ];
  if ('why' in s.rates) lines.push(`  Rates: not shown: ${s.rates.why}`);
  else
    for (const r of s.rates)
      lines.push(`  ${r.label}: ${r.percent} % (${r.count}) · ${LEVEL_WORDS[r.level]} · ${r.threshold}`);
  return lines;
}

const LEVEL_WORDS = { ok: 'ok', watch: 'WATCH', over: 'OVER THE LIMIT' } as const;

function summaryHtml(s: Summary): string {
  const row = (label: string, value: string, note = '') =>
    `<tr><td width="46%" style="padding:3px 0;vertical-align:top;">${esc(label)}</td><td width="54%" style="padding:3px 0;vertical-align:top;"><b>${esc(value)}</b>${note ? ` ${note}` : ''}</td></tr>`;
  const rows = [
    row(
      'New suppressions',
      String(s.newTotal),
      muted(s.newByRule.map((r) => `${r.title.toLowerCase()} ${r.count}`).join(' · ')),
    ),
    row(
      'Sender-side failures',
      String(s.senderSideTotal),
      s.senderSideTotal
        ? muted(
            s.senderSideByReason
              .slice(0, 3)
              .map((r) => `${r.reason} ${r.count}`)
              .join(' · '),
          )
        : '',
    ),
    row('Removed from the list', String(s.removals)),
    row('Waiting in the review folder', s.review === null ? 'unknown' : String(s.review)),
  ];
  if ('why' in s.rates)
    rows.push(
      `<tr><td colspan="2" style="padding:3px 0;">${muted(`Rates not shown: ${s.rates.why}.`)}</td></tr>`,
    );
  else
    for (const r of s.rates)
      rows.push(
        row(
          r.label,
          `${r.percent} %`,
          `<span style="color:${COLORS[r.level]};font-weight:bold;">${esc(LEVEL_WORDS[r.level])}</span> ${muted(`(${r.count}; ${r.threshold})`)}`,
        ),
      );
  return block(
    `<table role="presentation" id="summary" width="100%" cellpadding="0" cellspacing="0" border="0" style="width:100%;table-layout:fixed;border:1px solid ${COLORS.rule};border-radius:6px;padding:8px 12px;">${rows.join('')}</table>`,
  );
}

const SUPPRESSION_COLUMNS: readonly Column[] = [
  { title: 'Address', width: 34 },
  { title: 'Cause', width: 40 },
  { title: 'Status', width: 10, nowrap: true },
  { title: 'Last', width: 16, nowrap: true },
];
const COMPLAINT_COLUMNS: readonly Column[] = [
  { title: 'Address', width: 46 },
  { title: 'Type', width: 22 },
  { title: 'Reports', width: 14, nowrap: true },
  { title: 'Last', width: 18, nowrap: true },
];
const APPROACHING_COLUMNS: readonly Column[] = [
  { title: 'Address', width: 50 },
  { title: 'Soft failures', width: 18, nowrap: true },
  { title: 'Last reason', width: 32 },
];
const REMOVAL_COLUMNS: readonly Column[] = [
  { title: 'Address', width: 36 },
  { title: 'When', width: 18, nowrap: true },
  { title: 'By', width: 22 },
  { title: 'Reason', width: 24 },
];

/** The cause in words, and what the server said, cut (the CSV has it whole). */
function causeOf(s: NewSuppression): string {
  const words = REASONS.get(s.reason)?.description ?? s.cause;
  return s.diagnostic ? `${words} — “${cut(s.diagnostic, 80)}”` : words;
}

function whenOf(first: string, last: string, date: (iso: string) => string): string {
  return first === last ? date(first) : `${date(first)} – ${date(last)}`;
}

function suppressionsCsv(rows: readonly NewSuppression[]): string {
  return csvLine(EXPORT_COLUMNS) + rows.map((s) => csvLine(exportRow(s))).join('');
}

/** Every row of every section, uncut: what the HTML caps and truncates. */
function detailsCsv(d: DigestData): string {
  const lines = [csvLine(DETAIL_COLUMNS)];
  for (const e of d.senderSide)
    lines.push(
      csvLine([
        'sender-side',
        e.address,
        e.domain,
        providerOfEvent(e),
        e.reason,
        e.status,
        1,
        e.at,
        e.at,
        e.diagnostic,
      ]),
    );
  for (const c of d.complaints)
    lines.push(
      csvLine([
        'complaint',
        c.address,
        domainOf(c.address),
        '',
        'feedback',
        '',
        c.count,
        c.first,
        c.last,
        c.types.join(' '),
      ]),
    );
  for (const a of d.approaching)
    lines.push(
      csvLine(['approaching', a.address, domainOf(a.address), '', a.lastReason, '', a.count, '', '', '']),
    );
  for (const r of d.removals)
    lines.push(
      csvLine([
        'removed',
        r.address,
        domainOf(r.address),
        '',
        '',
        '',
        1,
        r.at,
        r.at,
        `${r.by}${r.reason ? `: ${r.reason}` : ''}`,
      ]),
    );
  return lines.join('');
}

function domainOf(address: string): string {
  return address.slice(address.lastIndexOf('@') + 1);
}

function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}

function groupBy<T>(items: readonly T[], key: (t: T) => string): Map<string, T[]> {
  const out = new Map<string, T[]>();
  for (const i of items) out.set(key(i), [...(out.get(key(i)) ?? []), i]);
  return out;
}
