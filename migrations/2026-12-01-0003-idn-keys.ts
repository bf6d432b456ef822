// Frozen: never edit a migration that has shipped; add a new one.
// Suppression keys: an IDN domain is stored in its A-label form ("xn--…"), so that either
// form of an address finds the one record. Rows written before stored the Unicode form.
import { domainToASCII } from 'node:url';
import type { Kysely } from 'kysely';

const TABLES = ['suppressions', 'bounce_events', 'suppression_log'] as const;

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations are written against no schema type.
export async function up(db: Kysely<any>): Promise<void> {
  for (const table of TABLES) {
    const rows = (await db.selectFrom(table).select(['id', 'address']).execute()) as {
      id: number;
      address: string;
    }[];
    for (const row of rows) {
      const at = row.address.lastIndexOf('@');
      const domain = row.address.slice(at + 1);
      if (at === -1 || !/[^\x00-\x7f]/.test(domain)) continue;
      const ascii = domainToASCII(domain);
      if (!ascii) continue;
      await db
        .updateTable(table)
        .set({ address: `${row.address.slice(0, at)}@${ascii}` })
        .where('id', '=', row.id)
        .execute();
    }
  }
}
