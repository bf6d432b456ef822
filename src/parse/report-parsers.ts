import { parseArf } from './arf.ts';
import type { Dialect } from './dialects/dialect.ts';
import { DIALECTS } from './dialects/index.ts';
import { readsAsFailure } from './failure-signals.ts';
import type { ReportParser } from './report.ts';
import { parseRfc3464 } from './rfc3464.ts';
import { parseRfc3834 } from './rfc3834.ts';

/**
 * Evidence precedence, the one rule that decides what a message is. The parsers are tried
 * in this order and the first that reads a report wins:
 *
 *   1. a spam complaint (ARF, RFC 5965): a report about a message that was delivered;
 *   2. the dialects of families known to send wrong or vague DSN fields (`readsDsn`);
 *   3. the structured DSN fields (RFC 3464);
 *   4. the family dialects' free-form text;
 *   5. the generic reader's free-form text (last in DIALECTS);
 *   6. automatic-reply evidence (RFC 3834), and only when nothing in the message reads as a
 *      failure notice: a DSN or a MAILER-DAEMON notice that also carries
 *      `Auto-Submitted: auto-replied`, `Precedence: bulk` or "Out of Office" in its subject
 *      is still a failure report, read or not.
 */
function buildParsers(dialects: readonly Dialect[]): readonly ReportParser[] {
  return [
    parseArf,
    ...dialects.filter((d) => d.readsDsn).map(asParser),
    parseRfc3464,
    ...dialects.filter((d) => !d.readsDsn).map(asParser),
    (view) => (readsAsFailure(view) ? undefined : parseRfc3834(view)),
  ];
}

const ALL = buildParsers(DIALECTS);
/** `--generic-only`: the family dialects filtered out here, and nowhere else. */
const GENERIC_ONLY = buildParsers(DIALECTS.filter((d) => d.generic));

export function reportParsers(genericOnly: boolean): readonly ReportParser[] {
  return genericOnly ? GENERIC_ONLY : ALL;
}

function asParser(d: Dialect): ReportParser {
  return (view) => (d.detect(view) ? d.parse(view) : undefined);
}
