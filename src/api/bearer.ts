import { createHash, timingSafeEqual } from 'node:crypto';

/**
 * A check of `Authorization: Bearer <token>` (RFC 6750) against the configured token. Both
 * sides are hashed first, so the comparison takes the same time whatever the length or the
 * first differing byte of what was sent.
 */
export function bearerCheck(token: string): (header: string | undefined) => boolean {
  const expected = createHash('sha256').update(token).digest();
  return (header) => {
    const match = /^Bearer[ ]+(\S+)\s*$/i.exec(header ?? '');
    const given = createHash('sha256')
      .update(match?.[1] ?? '')
      .digest();
    // Hash first, compare always: a missing header costs what a wrong one does.
    return timingSafeEqual(given, expected) && match !== null;
  };
}
