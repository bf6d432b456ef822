import { normalizeAddress } from '../address.ts';
import { readOriginal } from '../entity-tools.ts';
import type { MessageView } from '../message-view.ts';
import type { Report, ReportRecipient } from '../report.ts';
import { type Dialect, type PhraseTable, joinLines, reasonIn } from './dialect.ts';

// Sendmail-lookalike notices from Japanese gateways (Active!hunter, BIGLOBE, and others)
// that write the heading but no DSN:
//
//     ----- The following addresses had permanent fatal errors -----
//   >>> kijitora@example.org <kijitora@example.org>
//     ----- Transcript of session follows -----
//   550 sorry, no mailbox here by that name (#5.1.1 - chkusr)
//
//     ----- The following addresses had delivery problems -----
//   postmaster@mxr.biglobe.ne.jp
//     ----- Non-delivered information -----
//   The number of messages in recipient's mailbox exceeded the local limit.

const HEADINGS = [
  '----- The following addresses had permanent fatal errors -----',
  '----- The following addresses had delivery problems -----',
];
const DETAILS = ['----- Transcript of session follows -----', '----- Non-delivered information -----'];

/** Phrases these gateways use that name the reason (BIGLOBE's, in English). */
const REASONS: PhraseTable = [
  ['mailboxfull', ["The number of messages in recipient's mailbox exceeded the local limit."]],
  ['filtered', ['The destination mail address is filtered by the recipient']],
];

export const fatalErrors: Dialect = {
  name: 'fatal-errors',
  detect(view: MessageView): boolean {
    return HEADINGS.some((h) => view.text.includes(h));
  },
  parse(view: MessageView): Report | undefined {
    const lines = view.text.split('\n');
    const head = lines.findIndex((l) => HEADINGS.some((h) => l.includes(h)));
    if (head === -1) return undefined;
    const detail = lines.findIndex((l, i) => i > head && DETAILS.some((d) => l.includes(d)));
    const list = lines.slice(head + 1, detail === -1 ? undefined : detail);
    const addresses = list
      .map((l) => /^\s*(?:>>>\s*)?<?([^<>\s]+@[^<>\s]+?)>?(?:\s|$)/.exec(l)?.[1])
      .map((a) => normalizeAddress(a))
      .filter((a): a is string => Boolean(a));
    if (addresses.length === 0) return undefined;
    const body =
      detail === -1 ? [] : lines.slice(detail + 1).filter((l) => l.trim() && !/^-{5,}/.test(l.trim()));
    const diagnostic = joinLines(body.slice(0, 8));
    const reason = reasonIn(diagnostic, REASONS);
    const recipients: ReportRecipient[] = [...new Set(addresses)].map((address) => ({
      address,
      action: 'failed',
      diagnostic: diagnostic || undefined,
      reason,
    }));
    return {
      type: 'delivery-status',
      format: 'fatal-errors',
      recipients,
      original: readOriginal(view.entity) ?? {},
    };
  },
};
