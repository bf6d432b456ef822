import { decodeCharset, isAscii } from './charset.ts';
import { type ContentType, parseContentType } from './content-type.ts';
import { type HeaderFields, parseHeaderBlock } from './header-fields.ts';
import { toLf } from './line-ends.ts';
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
      ? toLf(decodeTransferEncoding(rawBody, cte).toString('latin1'))
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
        text = toLf(decodeCharset(decodeTransferEncoding(slice, cte), contentType.params.charset));
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
  let at = findDelimiter(body, delimiter, 0);
  while (at !== undefined) {
    if (body.startsWith('--', at.end)) break; // the close delimiter
    const lineEnd = body.indexOf('\n', at.end);
    if (lineEnd === -1) break;
    const next = findDelimiter(body, delimiter, lineEnd);
    // The line break before a delimiter belongs to the delimiter (RFC 2046 §5.1.1).
    parts.push(
      body.slice(lineEnd + 1, next === undefined ? body.length : Math.max(lineEnd + 1, next.lineStart - 1)),
    );
    at = next;
  }
  return parts;
}

/**
 * The next delimiter line at or after `from`: "--boundary" followed by "--", white space or
 * the line end (not "--boundaryX", a longer boundary). White space before it on the line
 * is tolerated: some MTAs indent it (" --AAA00000.0000110222/NEKO.EXAMPLE.ORG").
 */
function findDelimiter(
  body: string,
  delimiter: string,
  from: number,
): { lineStart: number; end: number } | undefined {
  let i = body.indexOf(delimiter, from);
  while (i !== -1) {
    let lineStart = i;
    while (lineStart > 0 && (body[lineStart - 1] === ' ' || body[lineStart - 1] === '\t')) lineStart--;
    const end = i + delimiter.length;
    const c = body.charCodeAt(end);
    const atLineStart = lineStart === 0 || body[lineStart - 1] === '\n';
    if (atLineStart && (Number.isNaN(c) || c === 0x0a || c === 0x20 || c === 0x09 || c === 0x2d)) {
      return { lineStart, end };
    }
    i = body.indexOf(delimiter, i + 1);
  }
  return undefined;
}
