/**
 * Content-Transfer-Encoding (RFC 2045 §6) of a body held as a latin1 string (one char per
 * byte). Both decoders tolerate broken input: bad characters are skipped, not fatal.
 */
export function decodeTransferEncoding(latin1: string, encoding: string | undefined): Buffer {
  const cte = (encoding ?? '').trim().toLowerCase();
  if (cte === 'base64') return Buffer.from(latin1, 'base64');
  if (cte === 'quoted-printable') return decodeQuotedPrintable(latin1);
  return Buffer.from(latin1, 'latin1');
}

/** A hex digit's value by char code, or -1. */
const HEX_VALUE = new Int8Array(128).fill(-1);
for (let i = 0; i < 16; i++) {
  HEX_VALUE['0123456789abcdef'.charCodeAt(i)] = i;
  HEX_VALUE['0123456789ABCDEF'.charCodeAt(i)] = i;
}
const hexValue = (c: number): number => (c < 128 ? HEX_VALUE[c]! : -1);

export function decodeQuotedPrintable(latin1: string): Buffer {
  const out = Buffer.allocUnsafe(latin1.length);
  let n = 0;
  for (let i = 0; i < latin1.length; i++) {
    const c = latin1.charCodeAt(i);
    if (c !== 0x3d /* = */) {
      out[n++] = c & 0xff;
      continue;
    }
    // "=XX": the byte XX (RFC 2045 §6.7 rule 1). charCodeAt past the end is NaN: not a digit.
    const hi = hexValue(latin1.charCodeAt(i + 1));
    const lo = hi < 0 ? -1 : hexValue(latin1.charCodeAt(i + 2));
    if (lo >= 0) {
      out[n++] = (hi << 4) | lo;
      i += 2;
      continue;
    }
    // Soft line break: "=" then optional trailing white space, then the line end.
    let j = i + 1;
    while (j < latin1.length && (latin1[j] === ' ' || latin1[j] === '\t')) j++;
    if (latin1[j] === '\n') {
      i = j;
      continue;
    }
    if (j >= latin1.length) break;
    out[n++] = c; // a stray "=" stays as it is
  }
  return out.subarray(0, n);
}
