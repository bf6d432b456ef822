import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { contentHash } from '../../src/scan/content-hash.ts';

describe('content hash', () => {
  // Databases written by earlier versions hold SHA-256 hex keys: a new scan must make the same
  // key for the same message, or a message moved back would be counted twice.
  it('is the SHA-256 of the source in hex, as earlier versions stored it', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 4096 }), (bytes) => {
        expect(contentHash(bytes)).toBe(createHash('sha256').update(bytes).digest('hex'));
      }),
      { numRuns: 200 },
    );
    expect(contentHash(Buffer.from('abc'))).toBe(
      'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad',
    );
  });
});
