import { parseArf } from './arf.ts';
import { DIALECTS } from './dialects/index.ts';
import type { ReportParser } from './report.ts';
import { parseRfc3464 } from './rfc3464.ts';
import { parseRfc3834 } from './rfc3834.ts';

/**
 * The parsers, in the order they are tried; the first that recognises a message wins.
 * Structured reports first (a complaint, then a DSN: when a DSN part and the free-form
 * text disagree, the DSN is trusted), then the free-form dialects, and automatic replies
 * last, because many bounces also carry Auto-Submitted.
 */
export const REPORT_PARSERS: readonly ReportParser[] = [
  parseArf,
  parseRfc3464,
  ...DIALECTS.map(
    (d): ReportParser =>
      (view) =>
        d.detect(view) ? d.parse(view) : undefined,
  ),
  parseRfc3834,
];
