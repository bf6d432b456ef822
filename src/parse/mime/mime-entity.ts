import { decodeCharset, isAscii } from './charset.ts';
import { type ContentType, parseContentType } from './content-type.ts';
import { type HeaderFields, parseHeaderBlock } from './header-fields.ts';
import { decodeTransferEncoding } from './transfer-encoding.ts';

/** One MIME entity: a whole message, a part, or a message carried inside a part. */
export interface MimeEntity {
  readonly headers: HeaderFields;
  readonly contentType: ContentType;
  /** Children of a multipart/*. */
  readonly parts: readonly MimeEntity[];
  /** The entity inside message/rfc822, message/global, text/rfc822-headers and kin. */
  readonly message?: MimeEntity;
  /** The body as a latin1 view of its bytes, still transfer-encoded. */
  readonly rawBody: string;
  /** The body decoded to text (transfer encoding and charset), at most `maxChars`. */
  text(maxChars?: number): string;
}

export interface MimeLimits {
  /** Nesting depth of multiparts and enclosed messages. */
  readonly maxDepth: number;
  /** Entities in the whole tree. */
  readonly maxParts: number;
}

export const DEFAULT_LIMITS: MimeLimits = { maxDepth: 12, maxParts: 400 };

/** Types whose body is itself a message, or the header block of one (RFC 3462, RFC 6532). */
const ENCLOSING = new Set([
  'message/rfc822',
  'message/global',
  'message/partial',
  'text/rfc822-headers',
  'message/rfc822-headers',
  'message/global-headers',
]);

/**
 * Parses a message held as a latin1 string with LF line endings. Linear in the input: it
 * scans with indexOf, never with a backtracking regular expression, and stops descending
 * at the limits. Broken structure (missing boundaries, truncated input) yields what can be
 * read, never an exception.
 */
export function parseMimeEntity(source: string, limits: MimeLimits = DEFAULT_LIMITS): MimeEntity {
  const budget = { parts: limits.maxParts };
  return parseEntity(source, 0, limits, budget);
}

function parseEntity(
  source: string,
  depth: number,
  limits: MimeLimits,
  budget: { parts: number },
): MimeEntity {
  budget.parts--;
  const split = headerEnd(source);
  const headers = parseHeaderBlock(source.slice(0, split.headerEnd));
  const rawBody = source.slice(split.bodyStart);
  const contentType = parseContentType(headers.get('content-type'));
  const cte = headers.get('content-transfer-encoding');
  let parts: MimeEntity[] = [];
  let message: MimeEntity | undefined;
  const canDescend = depth < limits.maxDepth && budget.parts > 0;

  if (canDescend && contentType.mimeType.startsWith('multipart/')) {
    const boundary = contentType.params.boundary;
    if (boundary)
      parts = splitMultipart(rawBody, boundary).map((p) => parseEntity(p, depth + 1, limits, budget));
  } else if (canDescend && ENCLOSING.has(contentType.mimeType)) {
    const inner = /^(base64|quoted-printable)$/i.test(cte?.trim() ?? '')
      ? decodeTransferEncoding(rawBody, cte).toString('latin1').replace(/\r\n?/g, '\n')
      : rawBody;
    message = parseEntity(inner, depth + 1, limits, budget);
  }

  let cached: { max: number; text: string } | undefined;
  return {
    headers,
    contentType,
    parts,
    message,
    rawBody,
    text(maxChars = Number.POSITIVE_INFINITY) {
      if (cached && cached.max >= maxChars) return cached.text.slice(0, maxChars);
      // Base64 expands 4:3 and QP up to 3:1, so a prefix of about 3x the wanted size
      // always yields enough text.
      const limit = Number.isFinite(maxChars) ? Math.min(rawBody.length, maxChars * 3 + 4) : rawBody.length;
      const slice = rawBody.slice(0, limit);
      let text: string;
      if (!cte || /^\s*(7bit|8bit|binary)\s*$/i.test(cte)) {
        text = isAscii(slice)
          ? slice
          : decodeCharset(Buffer.from(slice, 'latin1'), contentType.params.charset);
      } else {
        text = decodeCharset(decodeTransferEncoding(slice, cte), contentType.params.charset).replace(
          /\r\n?/g,
          '\n',
        );
      }
      cached = { max: maxChars, text };
      return text.slice(0, maxChars);
    },
  };
}

/** Where the header block ends: at the first empty line (RFC 5322 §2.1). */
function headerEnd(source: string): { headerEnd: number; bodyStart: number } {
  if (source.startsWith('\n')) return { headerEnd: 0, bodyStart: 1 };
  const blank = source.indexOf('\n\n');
  if (blank === -1) return { headerEnd: source.length, bodyStart: source.length };
  return { headerEnd: blank, bodyStart: blank + 2 };
}

/**
 * Splits a multipart body on its boundary (RFC 2046 §5.1.1). The preamble and epilogue are
 * dropped; a missing close delimiter ends the last part at the end of the input.
 */
export function splitMultipart(body: string, boundary: string): string[] {
  const delimiter = `--${boundary}`;
  const parts: string[] = [];
  let pos = isDelimiterAt(body, 0, delimiter) ? 0 : findDelimiter(body, delimiter, 0);
  while (pos !== -1) {
    // pos is at the start of a delimiter line.
    const after = pos + delimiter.length;
    if (body.startsWith('--', after)) break; // the close delimiter
    const lineEnd = body.indexOf('\n', after);
    if (lineEnd === -1) break;
    const next = findDelimiter(body, delimiter, lineEnd);
    parts.push(body.slice(lineEnd + 1, next === -1 ? body.length : next - 1));
    pos = next;
  }
  return parts;
}

/** The start of the next line that is the delimiter, or -1. */
function findDelimiter(body: string, delimiter: string, from: number): number {
  let i = body.indexOf(`\n${delimiter}`, from);
  while (i !== -1) {
    if (isDelimiterAt(body, i + 1, delimiter)) return i + 1;
    i = body.indexOf(`\n${delimiter}`, i + 1);
  }
  return -1;
}

/** "--b" followed by "--", white space or the line end; not "--bx", a longer boundary. */
function isDelimiterAt(body: string, at: number, delimiter: string): boolean {
  if (!body.startsWith(delimiter, at)) return false;
  const c = body.charCodeAt(at + delimiter.length);
  return Number.isNaN(c) || c === 0x0a || c === 0x20 || c === 0x09 || c === 0x2d;
}
