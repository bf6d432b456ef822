import { describe, expect, it } from 'vitest';
import { DEFAULT_FORMAT, readReturnPath, signReturnPath, verifyReturnPath } from '../../src/verp/verp.ts';

const settings = { secrets: ['k1-secret'], format: DEFAULT_FORMAT, maxAgeDays: 30 };
const now = new Date('2026-12-01T10:00:00Z');
const days = (n: number) => new Date(now.getTime() + n * 86_400_000);

describe('signed VERP return paths', () => {
  it('signs a recipient into the format and reads it back', () => {
    const path = signReturnPath('Kijitora@Example.JP', settings, now);
    expect(path).toMatch(/^bounces\+[0-9a-z]{20}-Kijitora=Example\.JP@example\.com$/);
    expect(readReturnPath(path, DEFAULT_FORMAT)).toMatchObject({ recipient: 'kijitora@example.jp' });
    expect(verifyReturnPath(path, 'kijitora@example.jp', settings, now)).toBe('valid');
  });

  it('gives the test vector of the README, which its Python and Node examples print', () => {
    expect(
      signReturnPath('user@example.org', { ...settings, secrets: ['s3cret'] }, new Date(1796119200_000)),
    ).toBe('bounces+0g1g7w243yjp5m6r34rt-user=example.org@example.com');
  });

  it('is stable: the same recipient and day give the same path (a sender can reimplement it)', () => {
    // The README's Python and Node examples print this for these inputs.
    expect(signReturnPath('user@example.org', { ...settings, secrets: ['s3cret'] }, now)).toBe(
      signReturnPath(
        'user@example.org',
        { ...settings, secrets: ['s3cret'] },
        new Date('2026-12-01T23:59:59Z'),
      ),
    );
  });

  it('refuses a missing, altered, foreign, expired or reused tag', () => {
    const path = signReturnPath('kijitora@example.jp', settings, now);
    expect(verifyReturnPath(undefined, 'kijitora@example.jp', settings, now)).toBe('missing');
    expect(verifyReturnPath('bounces@example.com', 'kijitora@example.jp', settings, now)).toBe('missing');
    const altered = path.replace(
      /\+(.{19})(.)/,
      (_m, a: string, b: string) => `+${a}${b === 'a' ? 'b' : 'a'}`,
    );
    expect(verifyReturnPath(altered, 'kijitora@example.jp', settings, now)).toBe('invalid');
    expect(verifyReturnPath(path, 'kijitora@example.jp', { ...settings, secrets: ['other'] }, now)).toBe(
      'invalid',
    );
    expect(verifyReturnPath(path, 'kijitora@example.jp', settings, days(31))).toBe('expired');
    expect(verifyReturnPath(path, 'kijitora@example.jp', settings, days(-2))).toBe('expired');
    // A genuine tag of one address, on a report that names another.
    expect(verifyReturnPath(path, 'shironeko@example.jp', settings, now)).toBe('mismatch');
    // The address inside the path was changed: the mac no longer fits.
    expect(
      verifyReturnPath(path.replace('kijitora', 'shironeko'), 'shironeko@example.jp', settings, now),
    ).toBe('invalid');
  });

  it('verifies tags of every configured secret, so keys can be rotated', () => {
    const old = signReturnPath('a@example.jp', { ...settings, secrets: ['old-key'] }, now);
    expect(verifyReturnPath(old, 'a@example.jp', { ...settings, secrets: ['new-key', 'old-key'] }, now)).toBe(
      'valid',
    );
  });

  it('matches an IDN recipient in either form', () => {
    const path = signReturnPath('user@müller.example', settings, now);
    expect(verifyReturnPath(path, 'user@xn--mller-kva.example', settings, now)).toBe('valid');
  });
});
