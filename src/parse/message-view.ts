import type { HeaderFields } from './mime/header-fields.ts';
import type { MimeEntity } from './mime/mime-entity.ts';
import { toLf } from './mime/line-ends.ts';

/** Human-readable text read per message: enough for any report, bounded for hostile input. */
export const MAX_TEXT_CHARS = 128 * 1024;

/** A message as the report parsers see it: the tree, its headers, and its readable text. */
export interface MessageView {
  readonly entity: MimeEntity;
  readonly headers: HeaderFields;
  readonly subject: string;
  readonly from: string;
  /**
   * The text/plain (else text/html, tags removed) parts that are not inside a returned
   * message, in order; for a single-part message, its body. LF line endings.
   */
  readonly text: string;
  /** The Received header fields of the report itself. */
  readonly received: readonly string[];
  /** Only the first `maxBytes` of the message were read: its last part may be cut. */
  readonly truncated?: boolean;
}

export function viewOf(entity: MimeEntity, truncated = false): MessageView {
  return {
    truncated,
    entity,
    headers: entity.headers,
    subject: entity.headers.get('subject') ?? '',
    from: entity.headers.get('from') ?? '',
    text: readableText(entity),
    received: entity.headers.getAll('received'),
  };
}

function readableText(root: MimeEntity): string {
  const plain: string[] = [];
  // HTML parts are decoded only when the message has no plain text: most bounces have both,
  // and the HTML alternative was decoded and stripped for nothing (1.2-1.5 % of the time).
  const html: MimeEntity[] = [];
  let budget = MAX_TEXT_CHARS;
  const visit = (e: MimeEntity) => {
    if (budget <= 0) return;
    if (e.parts.length) {
      for (const p of e.parts) visit(p);
      return;
    }
    // A multipart whose boundary never appears in the body: its body is the text.
    if (e.contentType.mimeType.startsWith('multipart/')) {
      const t = e.text(budget);
      budget -= t.length;
      plain.push(t);
      return;
    }
    if (e.message) return; // a returned message is not the report's own text
    const type = e.contentType.mimeType;
    const disposition = e.headers.get('content-disposition') ?? '';
    if (type === 'text/plain' && !/^\s*attachment/i.test(disposition)) {
      const t = e.text(budget);
      budget -= t.length;
      plain.push(t);
    } else if (type === 'text/html') {
      html.push(e);
    }
  };
  visit(root);
  // No plain part was read, so the budget is still whole.
  const text = plain.length ? plain.join('\n') : html.map((e) => stripTags(e.text(budget))).join('\n');
  return toLf(text);
}

/** Enough HTML to text for a bounce: tags out, breaks and paragraphs to new lines. */
export function stripTags(html: string): string {
  return html
    .replace(/<(br|\/p|\/div|\/tr|\/li|\/h\d)\b[^>]{0,200}>/gi, '\n')
    .replace(/<[^>]{0,2000}>/g, '')
    .replace(/&nbsp;/g, ' ')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&amp;/g, '&')
    .replace(/[ \t]+\n/g, '\n');
}
