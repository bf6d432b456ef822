import { normalizeAddress } from '../address.ts';
import type { MessageView } from '../message-view.ts';
import type { Report } from '../report.ts';
import {
  type Dialect,
  type PhraseTable,
  joinLines,
  originalFromText,
  reasonIn,
  splitAtOriginal,
} from './dialect.ts';

// 1&1 (IONOS, kundenserver.de):
//
//   This message was created automatically by mail delivery software.
//   …
//   The following address failed:
//   kijitora@example.org
//   For the following reason:
//   Mail size limit exceeded. For explanation visit …
//   --- The header of the original message is following. ---

const REASONS: PhraseTable = [['mesgtoobig', ['Mail size limit exceeded']]];

export const einsUndEins: Dialect = {
  name: 'einsundeins',
  detect(view: MessageView): boolean {
    return /kundenserver\.de|1and1|ionos/i.test(view.from) || view.text.includes('For the following reason:');
  },
  parse(view: MessageView): Report | undefined {
    const [report, original] = splitAtOriginal(view.text, [
      '--- The header of the original message is following. ---',
    ]);
    const lines = report.split('\n').map((l) => l.trim());
    const failed = lines.findIndex((l) => /^The following address(es)? failed:$/.test(l));
    const why = lines.indexOf('For the following reason:');
    if (failed === -1 || why === -1) return undefined;
    const addresses = lines
      .slice(failed + 1, why)
      .map((l) => normalizeAddress(l))
      .filter((a): a is string => Boolean(a));
    if (addresses.length === 0) return undefined;
    const diagnostic = joinLines(lines.slice(why + 1).filter((l) => l && !l.startsWith('http')));
    const reason = reasonIn(diagnostic, REASONS);
    return {
      type: 'delivery-status',
      format: 'einsundeins',
      recipients: addresses.map((address) => ({ address, action: 'failed', diagnostic, reason })),
      original: originalFromText(original),
    };
  },
};
