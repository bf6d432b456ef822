import { readFileSync } from 'node:fs';
import { parseCsvLines } from '../export/csv.ts';
import { normalizeAddress, parseMailbox } from '../parse/address.ts';
import { InputError } from './input-error.ts';

export interface Importer {
  /** False when the address was already suppressed (nothing changes). */
  add(address: string, reason?: string, action?: 'added' | 'imported'): Promise<boolean>;
}

export interface BadLine {
  readonly line: number;
  readonly value: string;
  readonly problem: string;
}

export interface ImportResult {
  readonly imported: number;
  readonly alreadySuppressed: number;
  readonly bad: readonly BadLine[];
}

/** A file whose lines are mostly not addresses is not a suppression list (EX_DATAERR). */
export class ImportRefusedError extends Error {
  readonly code = 'EDATAERR';
  constructor(message: string) {
    super(message);
    this.name = 'ImportRefusedError';
  }
}

/**
 * `bounced suppressions import FILE.csv`: a list exported from another tool. The address is
 * the column named email, e-mail, address or email_address (any case), else the first
 * column; a reason, cause or note column is kept as the cause. A file without a header row
 * is read as addresses in the first column. Every address is checked with the one mailbox
 * parser (parseMailbox) before anything is written: bad lines are skipped and named, and a
 * file that is mostly not addresses (a binary file, the wrong column) is refused whole.
 */
export async function importSuppressions(store: Importer, file: string): Promise<ImportResult> {
  let bytes: Buffer;
  try {
    bytes = readFileSync(file);
  } catch (err) {
    throw new InputError(`cannot read ${file}: ${(err as NodeJS.ErrnoException).code}`);
  }
  if (bytes.includes(0))
    throw new ImportRefusedError(`${file} is not a text file (it holds NUL bytes); nothing imported`);
  const rows = parseCsvLines(bytes.toString('utf8'));
  if (rows.length === 0) return { imported: 0, alreadySuppressed: 0, bad: [] };
  const first = rows[0]!.cells;
  const header = first.map((h) => h.trim().toLowerCase());
  const hasHeader = !normalizeAddress(first[0]);
  const emailAt = hasHeader
    ? Math.max(
        0,
        header.findIndex((h) => ['email', 'e-mail', 'address', 'email_address', 'emailaddress'].includes(h)),
      )
    : 0;
  const reasonAt = hasHeader
    ? header.findIndex((h) => ['reason', 'cause', 'note', 'description'].includes(h))
    : -1;
  const good: { address: string; reason?: string }[] = [];
  const bad: BadLine[] = [];
  for (const { line, cells } of hasHeader ? rows.slice(1) : rows) {
    // A list exported by bounced (or another careful tool) may carry the apostrophe that
    // neutralises a formula-like cell; the address is what follows it.
    const value = (cells[emailAt] ?? '').replace(/^'(?=[\s\u00a0]*[=+\-@]|[\t\r])/, '');
    const parsed = parseMailbox(value);
    if ('problem' in parsed) bad.push({ line, value, problem: parsed.problem });
    else
      good.push({
        address: parsed.address,
        reason: reasonAt >= 0 ? cells[reasonAt] || undefined : undefined,
      });
  }
  if (bad.length > good.length)
    throw new ImportRefusedError(
      `${file}: ${bad.length} of ${bad.length + good.length} lines are not email addresses (${describeBad(bad, 3)}); nothing imported`,
    );
  let imported = 0;
  let alreadySuppressed = 0;
  for (const g of good) {
    const added = await store.add(
      g.address,
      `imported from ${file}${g.reason ? `: ${g.reason}` : ''}`,
      'imported',
    );
    if (added) imported++;
    else alreadySuppressed++;
  }
  return { imported, alreadySuppressed, bad };
}

/** The first few bad lines: `line 3 "x@@y.example" (it has more than one "@")`. */
export function describeBad(bad: readonly BadLine[], max = 5): string {
  const shown = bad
    .slice(0, max)
    .map((b) => `line ${b.line} ${JSON.stringify(b.value.slice(0, 60))} (${b.problem})`)
    .join(', ');
  return bad.length > max ? `${shown}, and ${bad.length - max} more` : shown;
}
