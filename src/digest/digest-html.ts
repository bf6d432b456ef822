// The digest's HTML, as mail clients take it: nested tables for layout, inline styles (Gmail
// drops <style> in many views; Outlook renders with Word), at most 640 px wide, no images,
// no external CSS. The palette keeps its contrast when a client darkens the page: text and
// backgrounds are set together, accents are mid-tones, and a prefers-color-scheme block
// gives Apple Mail and others a true dark version.

export const WIDTH = 640;

const FONT = "-apple-system,'Segoe UI',Helvetica,Arial,sans-serif";
export const COLORS = {
  page: '#eef0f3',
  card: '#ffffff',
  text: '#1f2328',
  muted: '#57606a',
  rule: '#d0d7de',
  ok: '#1a7f37',
  watch: '#9a6700',
  over: '#cf222e',
} as const;

/** Every value in the HTML is escaped: bounce text comes from strangers' servers. */
export function esc(value: string): string {
  return value.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** Long text cut for the page; the attached CSV has it whole. */
export function cut(s: string, max: number): string {
  const flat = s.replace(/\s+/g, ' ').trim();
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
}

export function documentOf(title: string, body: readonly string[]): string {
  return [
    '<!doctype html>',
    '<html lang="en">',
    '<head>',
    '<meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    '<meta name="color-scheme" content="light dark">',
    '<meta name="supported-color-schemes" content="light dark">',
    `<title>${esc(title)}</title>`,
    '<style>',
    '@media (prefers-color-scheme: dark) {',
    '  .bd-page { background: #0d1117 !important; }',
    '  .bd-card { background: #161b22 !important; color: #e6edf3 !important; }',
    '  .bd-muted { color: #9198a1 !important; }',
    '}',
    '</style>',
    '</head>',
    `<body class="bd-page" style="margin:0;padding:0;background:${COLORS.page};">`,
    `<table role="presentation" class="bd-page" width="100%" cellpadding="0" cellspacing="0" border="0" style="background:${COLORS.page};">`,
    '<tr><td align="center" style="padding:12px 0;">',
    `<table role="presentation" class="bd-card" width="${WIDTH}" cellpadding="0" cellspacing="0" border="0" style="width:100%;max-width:${WIDTH}px;background:${COLORS.card};color:${COLORS.text};font-family:${FONT};font-size:14px;line-height:20px;">`,
    ...body,
    '</table>',
    '</td></tr>',
    '</table>',
    '</body>',
    '</html>',
    '',
  ].join('\n');
}

/** One full-width row of the card. */
export function block(inner: string, attrs = ''): string {
  return `<tr><td${attrs} style="padding:8px 16px;">${inner}</td></tr>`;
}

export function heading(text: string, level: 1 | 2 | 3 = 2): string {
  const size = level === 1 ? 20 : level === 2 ? 16 : 14;
  const rule = level === 2 ? `border-top:1px solid ${COLORS.rule};padding-top:12px;` : '';
  return `<tr><td style="padding:8px 16px 0 16px;"><h${level} style="margin:0;font-size:${size}px;line-height:${size + 6}px;${rule}">${esc(text)}</h${level}></td></tr>`;
}

export function muted(text: string): string {
  return `<span class="bd-muted" style="color:${COLORS.muted};">${esc(text)}</span>`;
}

export interface Column {
  readonly title: string;
  /** Percent of the table's width. */
  readonly width: number;
  /** A date or a number: kept on one line. */
  readonly nowrap?: boolean;
}

/**
 * A data table with fixed column widths, so that a long address wraps inside its cell
 * instead of widening the page. Cells are escaped here; a date cell carries data-date for
 * the rendering test.
 */
export function dataTable(columns: readonly Column[], rows: readonly (readonly string[])[]): string {
  const cell = (c: Column, value: string, th: boolean) => {
    const tag = th ? 'th' : 'td';
    const style = [
      'text-align:left',
      'vertical-align:top',
      'padding:4px 6px',
      `border-bottom:1px solid ${COLORS.rule}`,
      c.nowrap ? 'white-space:nowrap' : 'word-break:break-word;overflow-wrap:anywhere',
      th ? `font-size:12px;color:${COLORS.muted}` : '',
    ]
      .filter(Boolean)
      .join(';');
    const data = !th && c.nowrap ? ' data-nowrap=""' : '';
    return `<${tag} width="${c.width}%"${data} style="${style}">${esc(value)}</${tag}>`;
  };
  return [
    '<table role="presentation" width="100%" cellpadding="0" cellspacing="0" border="0" style="width:100%;table-layout:fixed;border-collapse:collapse;font-size:13px;line-height:18px;">',
    `<tr>${columns.map((c) => cell(c, c.title, true)).join('')}</tr>`,
    ...rows.map((r) => `<tr>${columns.map((c, i) => cell(c, r[i] ?? '', false)).join('')}</tr>`),
    '</table>',
  ].join('\n');
}
