/** One address found in a line of text, with where it stands. */
export interface FoundAddress {
  /** As written: a quoted local part keeps its quotes ("neko....nyaan...."@example.org). */
  readonly raw: string;
  readonly start: number;
  readonly end: number;
}

// RFC 5322 §3.2.3 atext, and the dot; letters beyond ASCII for RFC 6531 local parts.
const ATEXT = /[A-Za-z0-9!#$%&'*+/=?^_`{|}~.-]/;
const DOMAIN = /[A-Za-z0-9.-]/;

// Letters beyond ASCII: Latin, Greek and Cyrillic in a local part (RFC 6531); in a domain
// any letter (an IDN's U-labels, RFC 5890). Japanese and Chinese prose often runs straight
// on from an address ("kijitora@example.jpは存在しません"), so a domain that ends in an ASCII
// top-level label is cut there.
const WIDE_LOCAL = /[\u00c0-\u04ff]/;
const WIDE_DOMAIN = /[\p{L}\p{N}]/u;
const ASCII_TLD_END = /^(.{1,250}\.[A-Za-z]{2,63})(?![A-Za-z0-9-])/;

function isLocalChar(c: string): boolean {
  return ATEXT.test(c) || WIDE_LOCAL.test(c);
}

function isDomainChar(c: string): boolean {
  return DOMAIN.test(c) || (c.charCodeAt(0) > 0x7f && WIDE_DOMAIN.test(c));
}

/**
 * Every address in one line. Scans out from each "@" over the characters an address may
 * hold, so the work is linear in the line's length whatever the line holds (no regular
 * expression over the whole line that could backtrack).
 */
export function findAddresses(line: string): FoundAddress[] {
  const found: FoundAddress[] = [];
  let from = 0;
  for (let at = line.indexOf('@', from); at !== -1; at = line.indexOf('@', from)) {
    from = at + 1;
    const start = localStart(line, at);
    const end = domainEnd(line, at);
    if (start === at || end <= at + 1) continue;
    const raw = line.slice(start, end);
    const domain = line.slice(at + 1, end);
    if (!domain.includes('.') && !domain.startsWith('[')) continue;
    if (found.at(-1) && found.at(-1)!.end > start) continue;
    found.push({ raw, start, end });
    from = end;
  }
  return found;
}

function localStart(line: string, at: number): number {
  // A quoted local part (RFC 5321 §4.1.2 Quoted-string): "neko....nyaan...."@example.org
  if (line[at - 1] === '"') {
    const open = line.lastIndexOf('"', at - 2);
    if (open !== -1 && at - open <= 66 && !line.slice(open + 1, at - 1).includes('"')) return open;
  }
  let i = at;
  while (i > 0 && at - i < 64 && isLocalChar(line[i - 1]!)) i--;
  // Punctuation that frames an address in prose is not part of it: 'user@…', `user@…`.
  while (i < at && /['`.=/]/.test(line[i]!)) i++;
  return i;
}

function domainEnd(line: string, at: number): number {
  if (line[at + 1] === '[') {
    const close = line.indexOf(']', at + 2);
    return close !== -1 && close - at < 48 ? close + 1 : at + 1;
  }
  let i = at + 1;
  while (i < line.length && i - at <= 255 && isDomainChar(line[i]!)) i++;
  // "…@example.com." at the end of a sentence, "…@example.com-" before a dash.
  while (i > at + 1 && /[.-]/.test(line[i - 1]!)) i--;
  const domain = line.slice(at + 1, i);
  if (/[^\x00-\x7f]/.test(domain)) {
    const ascii = ASCII_TLD_END.exec(domain);
    if (ascii && ascii[1]!.length < domain.length) return at + 1 + ascii[1]!.length;
  }
  return i;
}
