import { parseHeaderBlock } from '../mime/header-fields.ts';
import { cleanMessageId } from '../entity-tools.ts';
import type { MessageView } from '../message-view.ts';
import type { OriginalMessage, Report } from '../report.ts';

/**
 * One sending-server family's free-form report. `detect` is a cheap look at the headers
 * and the first lines; `parse` reads the recipients, or says "not my format after all"
 * with undefined. Adding a family = one file with this shape, its fixtures, one line in
 * dialects/index.ts.
 */
export interface Dialect {
  readonly name: string;
  /**
   * The family also sends DSNs whose fields are known to be wrong or vague, so this dialect
   * reads those messages before the generic RFC 3464 parser does.
   */
  readonly readsDsn?: boolean;
  /**
   * Not a family's format but evidence that holds across servers: kept by `--generic-only`,
   * which turns every family dialect off.
   */
  readonly generic?: boolean;
  detect(view: MessageView): boolean;
  parse(view: MessageView): Report | undefined;
}

/** Splits the text at the first of the markers that starts the returned message. */
export function splitAtOriginal(
  text: string,
  markers: readonly string[],
): [report: string, original: string] {
  let at = -1;
  for (const m of markers) {
    const i = text.indexOf(m);
    if (i !== -1 && (at === -1 || i < at)) at = i;
  }
  if (at === -1) return [text, ''];
  const lineEnd = text.indexOf('\n', at);
  return [text.slice(0, at), lineEnd === -1 ? '' : text.slice(lineEnd + 1)];
}

/** The headers of a returned message written inline after a marker line. */
export function originalFromText(original: string): OriginalMessage {
  const start = original.replace(/^\s*\n/, '');
  const end = start.indexOf('\n\n');
  const h = parseHeaderBlock(end === -1 ? start : start.slice(0, end));
  return {
    messageId: cleanMessageId(h.get('message-id')),
    from: h.get('from'),
    to: h.get('to'),
    subject: h.get('subject'),
    returnPath: h.get('return-path'),
  };
}

/** "550-5.7.1 a\n550-5.7.1 b\n550 5.7.1 c" → one line; white space folded. */
export function joinLines(lines: readonly string[]): string {
  return lines
    .map((l) => l.trim())
    .filter(Boolean)
    .join(' ')
    .replace(/\s+/g, ' ')
    .trim();
}

/** A dialect's own messages: [reason, the phrases that say it]. */
export type PhraseTable = readonly (readonly [reason: string, phrases: readonly string[]])[];

/** The first reason one of whose phrases the text contains. */
export function reasonIn(text: string, table: PhraseTable): string | undefined {
  return table.find(([, phrases]) => phrases.some((p) => text.includes(p)))?.[0];
}
