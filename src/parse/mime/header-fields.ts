import { decodeCharset, decodeUnlabelled, isAscii } from './charset.ts';
import { decodeQuotedPrintable } from './transfer-encoding.ts';

type Field = readonly [name: string, value: string];

/**
 * The header fields of one entity, in order. Values are kept as the raw latin1 view and
 * decoded on demand: 8-bit text (RFC 6532) and encoded words (RFC 2047).
 */
export class HeaderFields {
  /** Decoded values already asked for: the dialects' detectors ask for the same few fields. */
  private readonly decoded = new Map<string, string | undefined>();

  constructor(private readonly fields: readonly Field[]) {}

  /** The first field of that name, decoded; undefined when absent. */
  get(name: string): string | undefined {
    if (this.decoded.has(name)) return this.decoded.get(name);
    const raw = this.getRaw(name);
    const value = raw === undefined ? undefined : decodeHeaderValue(raw);
    this.decoded.set(name, value);
    return value;
  }

  getAll(name: string): string[] {
    const key = name.toLowerCase();
    return this.fields.filter(([n]) => n === key).map(([, v]) => decodeHeaderValue(v));
  }

  getRaw(name: string): string | undefined {
    const key = name.toLowerCase();
    for (const [n, v] of this.fields) if (n === key) return v;
    return undefined;
  }

  has(name: string): boolean {
    return this.getRaw(name) !== undefined;
  }

  get size(): number {
    return this.fields.length;
  }

  entries(): readonly Field[] {
    return this.fields;
  }
}

/**
 * Parses a header block (LF line endings). Continuation lines (RFC 5322 §2.2.3) are joined
 * to the field before them; a line that is neither a field nor a continuation is skipped.
 */
export function parseHeaderBlock(block: string): HeaderFields {
  const fields: Field[] = [];
  let name = '';
  let value = '';
  const flush = () => {
    if (name) fields.push([name, value.trim()]);
    name = '';
    value = '';
  };
  let start = 0;
  while (start <= block.length) {
    let end = block.indexOf('\n', start);
    if (end === -1) end = block.length;
    const line = block.slice(start, end);
    start = end + 1;
    if (line === '') {
      if (end >= block.length) break;
      continue;
    }
    const first = line.charCodeAt(0);
    if ((first === 0x20 || first === 0x09) && name) {
      value += ` ${line.trim()}`;
      continue;
    }
    const colon = line.indexOf(':');
    // A field name is printable ASCII without spaces (RFC 5322 §3.6.8); tolerate a space
    // before the colon ("Subject : x"), which some old gateways write.
    if (colon > 0 && /^[!-9;-~]+ ?$/.test(line.slice(0, colon))) {
      flush();
      name = line.slice(0, colon).trim().toLowerCase();
      value = line.slice(colon + 1);
    } else if (name && line.includes('=')) {
      // A parameter line that lost its indentation ("Content-Type: multipart/alternative;"
      // then "boundary=…" at column 0): broken folding, read as a continuation.
      value += ` ${line.trim()}`;
    } else {
      flush();
    }
  }
  flush();
  return new HeaderFields(fields);
}

const ENCODED_WORD = /=\?([^?\s]{1,80})\?([BbQq])\?([^?\s]*)\?=/g;
const BETWEEN_WORDS = /(\?=)\s+(=\?)/g;

export function decodeHeaderValue(raw: string): string {
  const text = isAscii(raw) ? raw : decodeUnlabelled(Buffer.from(raw, 'latin1'));
  if (!text.includes('=?')) return text;
  // White space between two adjacent encoded words is not part of the text (RFC 2047 §6.2).
  return text
    .replace(BETWEEN_WORDS, '$1$2')
    .replace(ENCODED_WORD, (_m, charset: string, enc: string, data: string) => {
      const bytes =
        enc === 'B' || enc === 'b'
          ? Buffer.from(data, 'base64')
          : decodeQuotedPrintable(data.replace(/_/g, ' '));
      return decodeCharset(bytes, charset.split('*')[0]);
    });
}

/**
 * Parses header-style fields from already-decoded text (a delivery-status or feedback-report
 * body). Fields keep a latin1 view of their UTF-8 bytes, as header values always do here.
 */
export function parseFieldsFromText(text: string): HeaderFields {
  return parseHeaderBlock(isAscii(text) ? text : Buffer.from(text, 'utf8').toString('latin1'));
}
