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

const HEX = /^[0-9A-Fa-f]{2}$/;

export function decodeQuotedPrintable(latin1: string): Buffer {
  const out = Buffer.allocUnsafe(latin1.length);
  let n = 0;
  for (let i = 0; i < latin1.length; i++) {
    const c = latin1.charCodeAt(i);
    if (c !== 0x3d /* = */) {
      out[n++] = c & 0xff;
      continue;
    }
    const pair = latin1.slice(i + 1, i + 3);
    if (HEX.test(pair)) {
      out[n++] = Number.parseInt(pair, 16);
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
