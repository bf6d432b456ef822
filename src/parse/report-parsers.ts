import type { ReportParser } from './report.ts';
import { parseRfc3464 } from './rfc3464.ts';

/** The parsers, in the order they are tried: the first that recognises a message wins. */
export const REPORT_PARSERS: readonly ReportParser[] = [parseRfc3464];
