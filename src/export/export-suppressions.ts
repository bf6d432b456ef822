import { once } from 'node:events';
import type { Writable } from 'node:stream';
import { SUPPRESSION_COLUMNS, toSuppressionRow } from '../store/suppression-row.ts';
import type { Db } from '../store/database.ts';
import { csvLine } from './csv.ts';
import { EXPORT_COLUMNS, exportRow } from './export-row.ts';

export interface ExportOptions {
  readonly format: 'csv' | 'json';
  /** Only suppressions added or renewed at or after this time (ISO 8601). */
  readonly since?: string;
}

/**
 * Streams the active suppressions to `out`, row by row from a database cursor, waiting for
 * the stream to drain: memory stays flat however long the list is. Returns the row count.
 */
export async function exportSuppressions(db: Db, out: Writable, options: ExportOptions): Promise<number> {
  let query = db
    .selectFrom('suppressions')
    .select(SUPPRESSION_COLUMNS)
    .where('active', '=', 1)
    .orderBy('address');
  if (options.since) query = query.where('updated_at', '>=', options.since);
  const write = async (chunk: string) => {
    if (!out.write(chunk)) await once(out, 'drain');
  };
  let count = 0;
  if (options.format === 'csv') await write(csvLine(EXPORT_COLUMNS));
  else await write('[');
  for await (const r of query.stream(1000)) {
    const values = exportRow(toSuppressionRow(r));
    if (options.format === 'csv') await write(csvLine(values));
    else {
      const object = Object.fromEntries(EXPORT_COLUMNS.map((c, i) => [c, values[i] ?? null]));
      await write(`${count === 0 ? '\n' : ',\n'}${JSON.stringify(object)}`);
    }
    count++;
  }
  if (options.format === 'json') await write(count === 0 ? ']\n' : '\n]\n');
  return count;
}
