import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/load-config.ts';
import { csvCell, csvLine, parseCsv } from '../../src/export/csv.ts';
import { EXPORT_COLUMNS } from '../../src/export/export-row.ts';
import { exportSuppressions } from '../../src/export/export-suppressions.ts';
import { openTestApp } from '../helpers/app.ts';
import { sqlOn, TEST_STORE, testDatabaseUrl } from '../helpers/store.ts';

describe('CSV cells', () => {
  it('neutralises every cell a spreadsheet would run as a formula', () => {
    for (const lead of ['=', '+', '-', '@', '\t', '\r'])
      expect(csvCell(`${lead}cmd|' /C calc'!A0`).replace(/^"/, '')).toMatch(/^'/);
    expect(csvCell('=HYPERLINK("http://evil.example","click")')).toBe(
      `"'=HYPERLINK(""http://evil.example"",""click"")"`,
    );
    // White space before the formula: spreadsheets trim it and run the rest.
    for (const lead of [' =', '  +', ' \t-', '\u00a0@', '\n='])
      expect(csvCell(`${lead}1+1`).replace(/^"/, ''), JSON.stringify(lead)).toMatch(/^'/);
    // Ordinary text and numbers are left alone.
    expect(csvCell('user@receiver.example')).toBe('user@receiver.example');
    expect(csvCell('5.1.1')).toBe('5.1.1');
    expect(csvCell(3)).toBe('3');
    expect(csvCell(null)).toBe('');
  });

  it('quotes as RFC 4180 says, and reads back what it wrote', () => {
    const cells = ['a,b', 'say "no"', 'line\r\nbreak', 'plain', 'Grüße 日本', ''];
    const line = csvLine(cells);
    expect(line).toBe('"a,b","say ""no""","line\r\nbreak",plain,Grüße 日本,\r\n');
    expect(parseCsv(line)).toEqual([cells]);
  });
});

function sink(): Writable & { text: () => string } {
  const chunks: string[] = [];
  const w = new Writable({
    write(chunk: Buffer, _enc, cb) {
      chunks.push(chunk.toString('utf8'));
      cb();
    },
  });
  return Object.assign(w, { text: () => chunks.join('') });
}

describe('bounced export', () => {
  it('streams a million suppressions, every row complete and in address order', async () => {
    const url = testDatabaseUrl();
    const app = await openTestApp(loadConfig({ env: { BOUNCED_DATABASE_URL: url } }));
    const N = 1_000_000;
    // Seeded straight into the database: the export, not the policy, is under test here.
    // One statement over a series of N numbers (a recursive CTE in SQLite).
    const at = '2026-11-20T10:00:00.000Z';
    const series =
      TEST_STORE === 'postgres'
        ? 'select i from generate_series(0, ? - 1) as i'
        : 'with recursive n(i) as (select 0 union all select i + 1 from n where i + 1 < ?) select i from n';
    const pad = TEST_STORE === 'postgres' ? "lpad(i::text, 7, '0')" : "substr('0000000' || i, -7, 7)";
    const address = `'user' || ${pad} || '@receiver.example'`;
    await sqlOn(
      url,
      `INSERT INTO suppressions (address, source, reason, cause, status, reply_code, diagnostic,
         first_bounced_at, last_bounced_at, bounce_count, created_at, updated_at, active, rule, suppressed_at)
       SELECT ${address}, 'bounce', 'userunknown', 'Mailbox does not exist', '5.1.1', '550',
         CASE WHEN i % 1000 = 7 THEN '=cmd|'' /C calc''!A' || i ELSE '550 5.1.1 <' || ${address} || '>, unknown' END,
         ?, ?, (i % 5) + 1, ?, ?, 1, 'hard bounce', ?
       FROM (${series}) AS s`,
      [at, at, at, at, at, N],
    );

    let lines = 0;
    let previous = '';
    let ordered = true;
    let injected = 0;
    let pending = '';
    let header: string[] = [];
    let sample: string[] = [];
    const out = new Writable({
      write(chunk: Buffer, _enc, cb) {
        pending += chunk.toString('utf8');
        let nl = pending.indexOf('\r\n');
        while (nl >= 0) {
          const line = pending.slice(0, nl);
          pending = pending.slice(nl + 2);
          const row = parseCsv(line)[0] ?? [];
          if (lines === 0) header = row;
          else {
            if (row.length !== EXPORT_COLUMNS.length) ordered = false;
            if (row[0]! <= previous) ordered = false;
            previous = row[0]!;
            if (row[5]?.startsWith("'=cmd")) injected++;
            if (lines === 501) sample = row;
          }
          lines++;
          nl = pending.indexOf('\r\n');
        }
        cb();
      },
    });
    const count = await exportSuppressions(app.db, out, { format: 'csv' });
    await app.close();
    expect(count).toBe(N);
    expect(lines).toBe(N + 1);
    expect(pending).toBe('');
    expect(header).toEqual([...EXPORT_COLUMNS]);
    expect(ordered).toBe(true);
    expect(previous).toBe('user0999999@receiver.example');
    expect(injected).toBe(N / 1000);
    expect(sample).toEqual([
      'user0000500@receiver.example',
      'userunknown',
      'Mailbox does not exist: suppress',
      '5.1.1',
      '550',
      '550 5.1.1 <user0000500@receiver.example>, unknown',
      at,
      at,
      '1',
      'bounce',
    ]);
  }, 120_000);

  it('writes JSON as one array, and --since keeps only what changed since', async () => {
    let now = new Date('2026-11-01T00:00:00Z');
    const app = await openTestApp(loadConfig({ env: { BOUNCED_DATABASE_URL: testDatabaseUrl() } }));
    const { SuppressionStore } = await import('../../src/store/suppression-store.ts');
    const store = new SuppressionStore(app.db, () => now);
    await store.add('old@receiver.example', 'asked in October');
    now = new Date('2026-11-20T00:00:00Z');
    await store.add('new@receiver.example', '@SUM(1,2) "quoted"');
    await store.add('removed@receiver.example');
    await store.remove('removed@receiver.example');

    const all = sink();
    expect(await exportSuppressions(app.db, all, { format: 'json' })).toBe(2);
    const parsed = JSON.parse(all.text()) as Record<string, unknown>[];
    expect(parsed.map((r) => Object.keys(r))).toEqual([[...EXPORT_COLUMNS], [...EXPORT_COLUMNS]]);
    // JSON is not a spreadsheet: values stay exactly as they are.
    expect(parsed.map((r) => [r.email, r.description, r.source])).toEqual([
      ['new@receiver.example', '@SUM(1,2) "quoted"', 'manual'],
      ['old@receiver.example', 'asked in October', 'manual'],
    ]);

    const since = sink();
    await exportSuppressions(app.db, since, { format: 'csv', since: '2026-11-10T00:00:00.000Z' });
    expect(parseCsv(since.text()).map((r) => [r[0], r[2]])).toEqual([
      ['email', 'description'],
      ['new@receiver.example', `'@SUM(1,2) "quoted"`],
    ]);

    const empty = sink();
    await exportSuppressions(app.db, empty, { format: 'json', since: '2027-01-01T00:00:00.000Z' });
    expect(JSON.parse(empty.text())).toEqual([]);
    await app.close();
  });
});
