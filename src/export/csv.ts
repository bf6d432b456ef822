// CSV as RFC 4180 writes it (CRLF, quotes doubled), safe to open in a spreadsheet.

/**
 * One cell. A text that starts with = + - @, a tab or a carriage return would be run as a
 * formula by spreadsheet programs (CSV injection), and so would one where white space
 * comes first (" =HYPERLINK(…)": spreadsheets trim it): it gets a leading apostrophe,
 * which they show as text. Bounce text is written by whoever runs the remote server.
 */
/** A formula's first character, after any white space (OWASP's CSV injection list). */
export const FORMULA_START = /^[\s\u00a0]*[=+\-@]|^[\t\r]/;

export function csvCell(value: string | number | null | undefined): string {
  if (value === null || value === undefined) return '';
  let s = String(value);
  if (typeof value === 'string' && FORMULA_START.test(s)) s = `'${s}`;
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export function csvLine(cells: readonly (string | number | null | undefined)[]): string {
  return `${cells.map(csvCell).join(',')}\r\n`;
}

/** Parses RFC 4180 text (quoted fields, doubled quotes, CRLF or LF); tolerant of a BOM. */
export function parseCsv(text: string): string[][] {
  return parseCsvLines(text).map((r) => r.cells);
}

/** As parseCsv, with the line each row starts on (1-based), for error messages. */
export function parseCsvLines(text: string): { line: number; cells: string[] }[] {
  const rows: { line: number; cells: string[] }[] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  let line = 1;
  let rowLine = 1;
  const s = text.replace(/^\uFEFF/, '');
  for (let i = 0; i < s.length; i++) {
    const c = s[i]!;
    if (c === '\n' || (c === '\r' && s[i + 1] !== '\n')) line++;
    if (quoted) {
      if (c === '"' && s[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else field += c;
      continue;
    }
    if (c === '"' && field === '') quoted = true;
    else if (c === ',') {
      row.push(field);
      field = '';
    } else if (c === '\n' || c === '\r') {
      if (c === '\r' && s[i + 1] === '\n') {
        i++;
        line++;
      }
      row.push(field);
      rows.push({ line: rowLine, cells: row });
      rowLine = line;
      row = [];
      field = '';
    } else field += c;
  }
  if (field !== '' || row.length) {
    row.push(field);
    rows.push({ line: rowLine, cells: row });
  }
  return rows.filter((r) => r.cells.some((f) => f.trim() !== ''));
}
