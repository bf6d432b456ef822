import { describe, expect, it } from 'vitest';
import { resolveFolder } from '../../src/mailbox/folder-names.ts';

const courier = { prefix: 'INBOX.', delimiter: '.' };
const dovecot = { prefix: '', delimiter: '/' };

describe('folder names in the personal namespace (RFC 2342)', () => {
  it('puts a configured name under the INBOX. prefix', () => {
    expect(resolveFolder('Processed', courier, new Set(['INBOX']))).toBe('INBOX.Processed');
    expect(resolveFolder('Bounces.Review', courier, new Set())).toBe('INBOX.Bounces.Review');
  });
  it('leaves INBOX, names already under the prefix, and names with no prefix alone', () => {
    expect(resolveFolder('inbox', courier, new Set())).toBe('INBOX');
    expect(resolveFolder('INBOX.Processed', courier, new Set())).toBe('INBOX.Processed');
    expect(resolveFolder('inbox.Processed', courier, new Set())).toBe('INBOX.Processed');
    expect(resolveFolder('Processed', dovecot, new Set())).toBe('Processed');
    expect(resolveFolder('Processed', undefined, new Set())).toBe('Processed');
  });
  it('keeps a name that exists as written (a folder outside the prefix)', () => {
    expect(resolveFolder('Archive', courier, new Set(['INBOX', 'Archive']))).toBe('Archive');
  });
  it('matches a prefix other than INBOX. case-sensitively', () => {
    const ns = { prefix: 'Mail/', delimiter: '/' };
    expect(resolveFolder('Mail/Processed', ns, new Set())).toBe('Mail/Processed');
    expect(resolveFolder('mail/Processed', ns, new Set())).toBe('Mail/mail/Processed');
  });
});
