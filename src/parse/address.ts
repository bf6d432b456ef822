import { domainToASCII, domainToUnicode } from 'node:url';

/**
 * Normalises an address from a report field or a text: drops an address-type prefix
 * ("rfc822;"), brackets, quotes and a trailing dot, lower-cases it, and shows an IDN
 * domain in Unicode (RFC 5890) so that people can read it. Undefined when it is not an
 * address at all.
 */
export function normalizeAddress(raw: string | undefined): string | undefined {
  if (!raw) return undefined;
  let s = raw.trim();
  const semi = /^[A-Za-z0-9-]{2,20}\s*;/.exec(s);
  if (semi) s = s.slice(semi[0].length).trim();
  const open = s.indexOf('<');
  if (open !== -1) {
    const close = s.indexOf('>', open);
    s = s.slice(open + 1, close === -1 ? undefined : close);
  }
  s = s.trim();
  // A quoted local part (RFC 5321 §4.1.2) keeps its quotes: "neko....nyaan...."@example.org
  const quoted = /^"[^"]{1,64}"@/.test(s);
  s = quoted ? s.replace(/["')\].,;:]+$/, '') : s.replace(/^["'([]+|["')\].,;:]+$/g, '');
  if (s.toLowerCase().startsWith('mailto:')) s = s.slice(7);
  // A source route (RFC 5321 §4.1.2, obsolete: "@relay.example:user@host") names a path,
  // not the address the sender wrote; the caller falls back to the original recipient.
  if (s.startsWith('@')) return undefined;
  const at = s.lastIndexOf('@');
  if (at <= 0 || at === s.length - 1) return undefined;
  const local = s.slice(0, at);
  let domain = s.slice(at + 1).toLowerCase();
  const badLocal = quoted ? /[\r\n]/.test(local) : /\s/.test(local);
  if (badLocal || !/^[^\s@<>()]+$/.test(domain) || local.length > 254) return undefined;
  if (domain.includes('xn--')) domain = domainToUnicode(domain) || domain;
  return `${local.toLowerCase()}@${domain}`;
}

/**
 * The stored key of an address: the domain in its A-label form (RFC 5890: "xn--…"), the
 * local part as normalizeAddress gives it. "user@müller.example" and
 * "user@xn--mller-kva.example" are one mailbox, and so one suppression.
 */
export function suppressionKey(address: string): string {
  const at = address.lastIndexOf('@');
  if (at === -1) return address;
  const domain = address.slice(at + 1).toLowerCase();
  const ascii = /[^\x00-\x7f]/.test(domain) ? domainToASCII(domain) || domain : domain;
  return `${address.slice(0, at)}@${ascii}`;
}

/** A stored key as people read it: an IDN domain in Unicode. */
export function readableAddress(key: string): string {
  const at = key.lastIndexOf('@');
  if (at === -1 || !key.includes('xn--', at)) return key;
  return `${key.slice(0, at)}@${domainToUnicode(key.slice(at + 1)) || key.slice(at + 1)}`;
}
