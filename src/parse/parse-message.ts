import { readMessageInfo } from './entity-tools.ts';
import { viewOf } from './message-view.ts';
import { parseMimeEntity } from './mime/mime-entity.ts';
import { toLf } from './mime/line-ends.ts';
import type { ParseResult } from './report.ts';
import { reportParsers } from './report-parsers.ts';

export interface ParseOptions {
  /** Bytes of the message read; the rest is ignored. Reports come first in a bounce. */
  readonly maxBytes?: number;
  /**
   * Family dialects off: only the standard formats (RFC 3464, ARF, RFC 3834) and the
   * generic reader. Stands in for mail from servers nobody wrote a dialect for.
   */
  readonly genericOnly?: boolean;
}

export const DEFAULT_MAX_BYTES = 2 * 1024 * 1024;

/**
 * Bytes → report. Never throws on input: a message no parser recognises is a value with
 * the reason, for the review folder.
 */
export function parseMessage(bytes: Uint8Array, options: ParseOptions = {}): ParseResult {
  const max = options.maxBytes ?? DEFAULT_MAX_BYTES;
  const bytesRead = Buffer.from(bytes.buffer, bytes.byteOffset, Math.min(bytes.byteLength, max));
  // A latin1 string has one char per byte, so slicing it never splits a character and
  // the original bytes come back with Buffer.from(s, 'latin1'). Line ends become LF:
  // CRLF (RFC 5322), LF (Unix mailboxes) and bare CR (old Mac tools) all occur.
  let source = toLf(bytesRead.toString('latin1'));
  // An mbox "From " separator line is not a header.
  if (source.startsWith('From ')) source = source.slice(source.indexOf('\n') + 1);
  if (source.trim() === '') return { ok: false, message: {}, reason: 'empty message' };
  const entity = parseMimeEntity(source);
  const message = readMessageInfo(entity);
  if (entity.headers.size === 0)
    return { ok: false, message, reason: 'no header fields: not an email message' };
  const view = viewOf(entity, bytes.byteLength > max);
  for (const parser of reportParsers(options.genericOnly ?? false)) {
    const report = parser(view);
    if (report) return { ok: true, message, report };
  }
  return { ok: false, message, reason: 'not a bounce, complaint or automatic reply' };
}
