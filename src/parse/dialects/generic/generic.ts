import { normalizeAddress } from '../../address.ts';
import { readOriginal } from '../../entity-tools.ts';
import { containsAny, failureSignals, readsAsFailure } from '../../failure-signals.ts';
import { DELAY_PHRASES, DELAY_SUBJECTS, PERMANENT_PHRASES } from '../../failure-vocabulary.ts';
import type { MessageView } from '../../message-view.ts';
import type { OriginalMessage, Report, ReportRecipient } from '../../report.ts';
import { readDeliveryStatus } from '../../rfc3464.ts';
import { type Dialect, joinLines, originalFromText } from '../dialect.ts';
import {
  type RecipientBlock,
  recipientBlocks,
  type Standing,
  textByAddress,
} from '../../text/recipient-blocks.ts';
import { reportText } from '../../text/report-text.ts';

// The generic reader: a failure notice from a server nobody wrote a dialect for. It works
// from evidence that holds across servers, not from any one family's wording:
// - the notice's signs (failure-signals.ts): the mail system's own sender, a null
//   Return-Path, failure words in the subject and the text, in the common languages;
// - where an address stands in the notice's own text (recipient-blocks.ts): an SMTP
//   transcript, an address opening its line, after a reply code, in a failure sentence;
// - RFC 3464 fields written into the text instead of a message/delivery-status part.
// Addresses of the returned message's headers, and the notice's own From and To, are never
// failed recipients. When nothing holds, the message stays unread (review folder).

/** Standings in the order they are trusted; the first that names anyone is used. */
const TRUST: readonly (readonly Standing[])[] = [['transcript', 'head', 'code'], ['sentence'], ['field']];

const MAX_DIAGNOSTIC = 1000;

export const generic: Dialect = {
  name: 'generic',
  generic: true,
  detect(view: MessageView): boolean {
    const s = failureSignals(view);
    if (readsAsFailure(view)) return true;
    // No sign of the mail system itself: the subject and the text must both say so, and
    // it must not be a person's reply or forward of a notice.
    return s.subject && s.body && !s.replyOrForward;
  },
  parse(view: MessageView): Report | undefined {
    const { lines, original } = reportText(view.text);
    const returned = readOriginal(view.entity) ?? originalFromText(original);
    const excluded = excludedAddresses(view, returned);
    const recipients = fromInlineFields(lines.join('\n'), excluded) ?? fromBlocks(view, lines, excluded);
    if (recipients.length === 0) return undefined;
    return { type: 'delivery-status', format: 'generic', recipients, original: returned };
  },
};

/** RFC 3464 per-recipient fields pasted into a text part ("Final-Recipient: rfc822; …"). */
function fromInlineFields(text: string, excluded: ReadonlySet<string>): ReportRecipient[] | undefined {
  const at = text.search(/^(Reporting-MTA|Final-Recipient|Original-Recipient)\s*:/im);
  if (at === -1) return undefined;
  const fields = readDeliveryStatus(text.slice(at));
  const recipients = (fields?.recipients ?? []).filter((r) => !excluded.has(r.address));
  return recipients.length ? recipients.map((r) => ({ ...r, action: r.action ?? 'failed' })) : undefined;
}

function fromBlocks(
  view: MessageView,
  lines: readonly string[],
  excluded: ReadonlySet<string>,
): ReportRecipient[] {
  const blocks = recipientBlocks(lines, excluded);
  const listed = failedRecipientsHeader(view);
  let chosen: RecipientBlock[] = [];
  if (listed.length) {
    // Exim's X-Failed-Recipients names exactly the failed addresses.
    chosen = listed.flatMap((address) => {
      const own = blocks.filter((b) => b.address === address);
      return own.length ? own : [{ address, standing: 'head' as const, lines: [...lines] }];
    });
  } else if (readsAsFailure(view)) {
    for (const tier of TRUST) {
      chosen = blocks.filter((b) => tier.includes(b.standing));
      if (chosen.length) break;
    }
  } else {
    // Failure words alone, with no sign of the mail system (a shop's "Delivery failed"
    // newsletter has those too): only an address that opens its line next to an SMTP code.
    chosen = blocks.filter((b) => TRUST[0]!.includes(b.standing) && hasCode(b.lines.join(' ')));
  }
  const merged = [...textByAddress(chosen)].map(([address, text]) => ({ address, text }));
  const preamble = codeLines(lines);
  const delayedNotice = isDelayNotice(view, lines);
  return merged.map(({ address, text }) => {
    // One recipient and no code of its own: the notice's code lines are about it.
    const own = merged.length === 1 && !hasCode(text) && preamble ? `${text} ${preamble}` : text;
    const diagnostic = own.slice(0, MAX_DIAGNOSTIC);
    return { address, action: actionOf(diagnostic, delayedNotice), diagnostic };
  });
}

/** The notice's own From, To and envelope, and the returned message's sender: never failed. */
function excludedAddresses(view: MessageView, returned: OriginalMessage): Set<string> {
  const h = view.headers;
  const fields = [
    view.from,
    h.get('to'),
    h.get('cc'),
    h.get('reply-to'),
    h.get('sender'),
    // Delivered-To is written by the delivery agent of the mailbox the notice reached: ours.
    // X-Original-To is not excluded: dma writes the failed address there.
    h.get('delivered-to'),
    h.get('return-path'),
    returned.from,
  ];
  const out = new Set<string>();
  for (const f of fields) for (const part of (f ?? '').split(',')) addIf(out, normalizeAddress(part));
  return out;
}

function addIf(set: Set<string>, address: string | undefined): void {
  if (address) set.add(address);
}

function failedRecipientsHeader(view: MessageView): string[] {
  const raw = view.headers.getAll('x-failed-recipients').join(',');
  const out = new Set<string>();
  for (const part of raw.split(',')) addIf(out, normalizeAddress(part));
  return [...out];
}

const CODE = /(?<![\d.])(?:[45]\d\d[ -]|[45]\.\d{1,3}\.\d{1,3}(?![\d.]))/;

function hasCode(text: string): boolean {
  return CODE.test(text);
}

/** The notice's lines that carry a reply or status code, for a recipient that has none. */
function codeLines(lines: readonly string[]): string {
  return joinLines(lines.filter((l) => l.length < 400 && hasCode(l)).slice(0, 4));
}

/** "will retry", "has not yet been delivered" and no word of giving up. */
function isDelayNotice(view: MessageView, lines: readonly string[]): boolean {
  const text = lines.join('\n').toLowerCase();
  if (containsAny(text, PERMANENT_PHRASES)) return false;
  return containsAny(text, DELAY_PHRASES) || containsAny(view.subject.toLowerCase(), DELAY_SUBJECTS);
}

/**
 * RFC 3464 §2.3.3: failed, unless the notice is a warning and this recipient's own code is
 * not permanent.
 */
function actionOf(diagnostic: string, delayedNotice: boolean): string {
  if (!delayedNotice) return 'failed';
  const code = CODE.exec(diagnostic)?.[0]?.trim();
  return code?.startsWith('5') ? 'failed' : 'delayed';
}
