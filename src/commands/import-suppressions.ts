import { readFileSync } from 'node:fs';
import { parseCsv } from '../export/csv.ts';
import { normalizeAddress } from '../parse/address.ts';
import { InputError } from './input-error.ts';

export interface Importer {
  add(address: string, reason?: string, action?: 'added' | 'imported'): Promise<void>;
}

/**
 * `bounced suppressions import FILE.csv`: a list exported from another tool. The address is
 * the column named email, e-mail, address or email_address (any case), else the first
 * column; a reason, cause or note column is kept as the cause. A file without a header row
 * is read as addresses in the first column.
 */
export async function importSuppressions(
  store: Importer,
  file: string,
): Promise<{ imported: number; skipped: string[] }> {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new InputError(`cannot read ${file}: ${(err as NodeJS.ErrnoException).code}`);
  }
  const rows = parseCsv(text);
  if (rows.length === 0) return { imported: 0, skipped: [] };
  const header = rows[0]!.map((h) => h.trim().toLowerCase());
  const hasHeader = !normalizeAddress(rows[0]![0]);
  const emailAt = hasHeader
    ? Math.max(
        0,
        header.findIndex((h) => ['email', 'e-mail', 'address', 'email_address', 'emailaddress'].includes(h)),
      )
    : 0;
  const reasonAt = hasHeader
    ? header.findIndex((h) => ['reason', 'cause', 'note', 'description'].includes(h))
    : -1;
  const skipped: string[] = [];
  let imported = 0;
  for (const row of hasHeader ? rows.slice(1) : rows) {
    // A list exported by bounced (or another careful tool) may carry the apostrophe that
    // neutralises a formula-like cell; the address is what follows it.
    const address = normalizeAddress(row[emailAt]?.replace(/^'(?=[\s\u00a0]*[=+\-@]|[\t\r])/, ''));
    if (!address) {
      skipped.push(row[emailAt] ?? '');
      continue;
    }
    const reason = reasonAt >= 0 && row[reasonAt] ? row[reasonAt] : undefined;
    await store.add(address, `imported from ${file}${reason ? `: ${reason}` : ''}`, 'imported');
    imported++;
  }
  return { imported, skipped };
}
