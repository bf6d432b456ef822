import { parseArf } from './arf.ts';
import type { Dialect } from './dialects/dialect.ts';
import { DIALECTS } from './dialects/index.ts';
import type { ReportParser } from './report.ts';
import { parseRfc3464 } from './rfc3464.ts';
import { parseRfc3834 } from './rfc3834.ts';

/**
 * The parsers, in the order they are tried; the first that recognises a message wins.
 * Structured reports first (a complaint, then a DSN: when a DSN part and the free-form
 * text disagree, the DSN is trusted, except for the few families known to send wrong DSN
 * fields, whose dialects say `readsDsn`), then the free-form dialects, and automatic
 * replies last, because many bounces also carry Auto-Submitted.
 */
export const REPORT_PARSERS: readonly ReportParser[] = [
  parseArf,
  ...DIALECTS.filter((d) => d.readsDsn).map(asParser),
  parseRfc3464,
  ...DIALECTS.filter((d) => !d.readsDsn).map(asParser),
  parseRfc3834,
];

function asParser(d: Dialect): ReportParser {
  return (view) => (d.detect(view) ? d.parse(view) : undefined);
}
