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
  if (mailboxProblem(local, domain)) return undefined;
  if (domain.includes('xn--')) domain = domainToUnicode(domain) || domain;
  return `${local.toLowerCase()}@${domain}`;
}

/**
 * An address a person typed (`suppressions add`, `import`, the API): the same reading as
 * normalizeAddress, with the reason when it is not a mailbox, for the error message.
 */
export function parseMailbox(raw: string): { address: string } | { problem: string } {
  const address = normalizeAddress(raw);
  const s = address ?? raw.trim();
  const at = s.lastIndexOf('@');
  if (at <= 0 || at === s.length - 1) return { problem: 'it needs a local part, "@" and a domain' };
  const problem = mailboxProblem(s.slice(0, at), s.slice(at + 1).toLowerCase(), { internet: true });
  if (address && !problem) return { address };
  return { problem: problem ?? 'it is not a mailbox' };
}

// RFC 5321 §4.1.2 atext (RFC 5322 §3.2.3), with UTF-8 allowed (RFC 6531 §3.3).
const DOT_ATOM_LOCAL = /^[A-Za-z0-9!#$%&'*+/=?^_`{|}~\u0080-\uffff.-]+$/;
const LABEL = /^(?!-)[a-z0-9-]{1,63}(?<!-)$/;

/**
 * Why LOCAL@DOMAIN is not an RFC 5321 mailbox, or undefined when it is. Leniencies, because
 * real reports carry such addresses and they bounce like any other: dots may repeat or end
 * the local part (Japanese carriers issued "a..b.@docomo.ne.jp" before 2009), an IDN domain
 * may be in Unicode (RFC 5890), and a report may name a host without a dot
 * ("kijitora@mailhub0", an internal relay). `internet` refuses the last, for addresses a
 * person types: a list of internet recipients has no "x@y".
 */
export function mailboxProblem(
  local: string,
  domain: string,
  options: { internet?: boolean } = {},
): string | undefined {
  if (/[\x00-\x1f\x7f]/.test(local + domain)) return 'it holds a control character';
  if (local.length > 64 && !local.startsWith('"')) return 'the local part is longer than 64 characters';
  if (local.startsWith('"')) {
    if (!/^"(?:[^"\\\r\n]|\\.){1,64}"$/.test(local)) return 'the quoted local part is malformed';
  } else if (!DOT_ATOM_LOCAL.test(local) || local.startsWith('.')) {
    return local.includes('@')
      ? 'it has more than one "@"'
      : 'the local part has a character a mailbox cannot have';
  }
  if (/^\[[^\]]+\]$/.test(domain)) return undefined; // an address literal, [192.0.2.1]
  const ascii = /[^\x00-\x7f]/.test(domain) ? domainToASCII(domain) : domain;
  if (!ascii) return 'the domain is not a valid host name';
  const labels = ascii.replace(/\.$/, '').split('.');
  if (labels.some((l) => l === '')) return 'the domain has an empty label ("..")';
  if (options.internet && labels.length < 2) return 'the domain has no dot';
  if (ascii.length > 253 || !labels.every((l) => LABEL.test(l))) return 'the domain is not a valid host name';
  return undefined;
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
