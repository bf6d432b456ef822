import { createHmac, timingSafeEqual } from 'node:crypto';
import { suppressionKey } from '../parse/address.ts';

// Signed VERP return paths (Variable Envelope Return Path): the sender mails each recipient
// from a return path that names the recipient and carries a tag only the sender can make, so
// that a bounce naming an address can be told from a forged one. The algorithm, in full:
//
//   day   = floor(unix seconds / 86400), written in base 36, left-padded with "0" to 4 chars
//   mac   = HMAC-SHA256(secret, lower(recipient) + "\n" + day), its first 10 bytes in
//           base 32 (RFC 4648 alphabet, lower case, no padding): 16 characters
//   tag   = day + mac  (20 characters, [0-9a-z])
//   path  = format with {tag}, {local} and {domain} (the recipient's) filled in;
//           default "bounces+{tag}-{local}={domain}@example.com"
//
// A tag verifies when one of the configured secrets gives the same mac for the recipient the
// path names, and its day is at most maxAgeDays old (and not in the future).

export type VerpCheck = 'valid' | 'missing' | 'invalid' | 'expired' | 'mismatch';

export interface VerpSettings {
  /** The first signs; all verify (key rotation). */
  readonly secrets: readonly string[];
  readonly format: string;
  readonly maxAgeDays: number;
}

const DAY_CHARS = 4;
const MAC_BYTES = 10;
const TAG = /^[0-9a-z]{20}$/;
const BASE32 = 'abcdefghijklmnopqrstuvwxyz234567';

export const DEFAULT_FORMAT = 'bounces+{tag}-{local}={domain}@example.com';

function base32(bytes: Buffer): string {
  let bits = 0;
  let value = 0;
  let out = '';
  for (const b of bytes) {
    value = (value << 8) | b;
    bits += 8;
    while (bits >= 5) {
      out += BASE32[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
  }
  if (bits > 0) out += BASE32[(value << (5 - bits)) & 31];
  return out;
}

function mac(secret: string, recipient: string, day: string): string {
  const h = createHmac('sha256', secret).update(`${recipient.toLowerCase()}\n${day}`).digest();
  return base32(h.subarray(0, MAC_BYTES));
}

function dayOf(now: Date): string {
  return Math.floor(now.getTime() / 86_400_000)
    .toString(36)
    .padStart(DAY_CHARS, '0');
}

/** The signed return path for a recipient. */
export function signReturnPath(recipient: string, settings: VerpSettings, now = new Date()): string {
  const secret = settings.secrets[0];
  if (!secret) throw new Error('verp.secret is not set');
  const at = recipient.lastIndexOf('@');
  if (at <= 0) throw new Error(`not an email address: ${recipient}`);
  const day = dayOf(now);
  const tag = `${day}${mac(secret, recipient, day)}`;
  return settings.format
    .replace('{tag}', tag)
    .replace('{local}', recipient.slice(0, at))
    .replace('{domain}', recipient.slice(at + 1));
}

/** A return path read back: the tag and the recipient it names, if it has the format's shape. */
export function readReturnPath(path: string, format: string): { tag: string; recipient: string } | undefined {
  const re = formatPattern(format);
  const m = re.exec(path.trim());
  if (!m?.groups) return undefined;
  const { tag, local, domain } = m.groups;
  if (!local || !domain) return undefined;
  return { tag: (tag ?? '').toLowerCase(), recipient: `${local}@${domain}`.toLowerCase() };
}

const patterns = new Map<string, RegExp>();

/** The format as a pattern: literal text escaped; the fields bounded (no backtracking blow-up). */
function formatPattern(format: string): RegExp {
  let re = patterns.get(format);
  if (!re) {
    const escaped = format.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    re = new RegExp(
      `^${escaped
        .replace('\\{tag\\}', '(?<tag>[0-9A-Za-z]{0,64})')
        .replace('\\{local\\}', '(?<local>[^@\\s]{1,64})')
        .replace('\\{domain\\}', '(?<domain>[^=@\\s]{1,255})')}$`,
      'i',
    );
    patterns.set(format, re);
  }
  return re;
}

/**
 * Checks the return path a report was sent back to, for the recipient the report names.
 * Constant-time comparison of the mac, for every secret.
 */
export function verifyReturnPath(
  path: string | undefined,
  reportedRecipient: string,
  settings: VerpSettings,
  now = new Date(),
): VerpCheck {
  const read = path ? readReturnPath(path, settings.format) : undefined;
  if (!read || !read.tag) return 'missing';
  if (!TAG.test(read.tag)) return 'invalid';
  const day = read.tag.slice(0, DAY_CHARS);
  const given = Buffer.from(read.tag.slice(DAY_CHARS));
  let valid = false;
  for (const secret of settings.secrets) {
    const expected = Buffer.from(mac(secret, read.recipient, day));
    if (expected.length === given.length && timingSafeEqual(expected, given)) valid = true;
  }
  if (!valid) return 'invalid';
  const age = Math.floor(now.getTime() / 86_400_000) - Number.parseInt(day, 36);
  if (age < 0 || age > settings.maxAgeDays) return 'expired';
  // A genuine tag for another address: someone reused a real return path.
  if (suppressionKey(read.recipient) !== suppressionKey(reportedRecipient.toLowerCase())) return 'mismatch';
  return 'valid';
}
