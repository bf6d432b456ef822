import { TextDecoder } from 'node:util';
import iconv from 'iconv-lite';

const decoders = new Map<string, TextDecoder | null>();

function decoderFor(charset: string): TextDecoder | null {
  const label = charset
    .trim()
    .toLowerCase()
    .replace(/^["']|["']$/g, '');
  let decoder = decoders.get(label);
  if (decoder === undefined) {
    try {
      decoder = new TextDecoder(label, { fatal: false });
    } catch {
      decoder = null;
    }
    decoders.set(label, decoder);
  }
  return decoder;
}

const strictUtf8 = new TextDecoder('utf-8', { fatal: true });
const windows1252 = new TextDecoder('windows-1252');

/**
 * Bytes → text. A missing, unknown or lying charset never fails: valid UTF-8 is taken as
 * UTF-8 (mail often declares us-ascii or nothing and sends UTF-8), else windows-1252,
 * which maps every byte.
 */
export function decodeCharset(bytes: Uint8Array, charset: string | undefined): string {
  if (charset) {
    const decoder = decoderFor(charset);
    if (decoder && !/^(us-)?ascii$/i.test(decoder.encoding)) return decoder.decode(bytes);
    if (!decoder && iconv.encodingExists(charset)) return iconv.decode(Buffer.from(bytes), charset);
  }
  return decodeUnlabelled(bytes);
}

export function decodeUnlabelled(bytes: Uint8Array): string {
  try {
    return strictUtf8.decode(bytes);
  } catch {
    return windows1252.decode(bytes);
  }
}

/** True when every char of a latin1 view is 7-bit: the common case, decoded for free. */
export function isAscii(latin1: string): boolean {
  // A single linear scan: no regex backtracking.
  for (let i = 0; i < latin1.length; i++) if (latin1.charCodeAt(i) > 0x7f) return false;
  return true;
}
