// Mutated messages for property-based fuzzing, shared by the suite's test and
// `npm run fuzz`: real fixtures changed the ways hostile or broken mail is.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';

export function fixtureMessages(dir: string): Buffer[] {
  const out: Buffer[] = [];
  const walk = (d: string) => {
    for (const name of readdirSync(d)) {
      const path = join(d, name);
      if (statSync(path).isDirectory()) walk(path);
      else if (name.endsWith('.eml')) out.push(readFileSync(path));
    }
  };
  walk(dir);
  return out;
}

type Mutation = (b: Buffer) => Buffer;

const flips = fc
  .array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { minLength: 1, maxLength: 20 })
  .map<Mutation>((edits) => (b) => {
    const c = Buffer.from(b);
    for (const [at, v] of edits) if (c.length) c[at % c.length] = v;
    return c;
  });
const truncation = fc
  .double({ min: 0, max: 1, noNaN: true })
  .map<Mutation>((f) => (b) => b.subarray(0, Math.floor(b.length * f)));
const nesting = fc.integer({ min: 1, max: 40 }).map<Mutation>((depth) => (b) => {
  let s = b.toString('latin1');
  for (let i = 0; i < depth; i++)
    s = `Content-Type: multipart/mixed; boundary="n${i}"\n\n--n${i}\n${s}\n--n${i}--\n`;
  return Buffer.from(`From: x@y.example\nSubject: nested\nMIME-Version: 1.0\n${s}`, 'latin1');
});
const hugeHeader = fc
  .integer({ min: 1_000, max: 300_000 })
  .map<Mutation>(
    (n) => (b) =>
      Buffer.concat([Buffer.from(`X-Huge: ${'a'.repeat(n)}\nSubject: ${'=?utf-8?b?'.repeat(n / 100)}\n`), b]),
  );
const nuls = fc.array(fc.nat(), { minLength: 1, maxLength: 50 }).map<Mutation>((at) => (b) => {
  const c = Buffer.from(b);
  for (const i of at) if (c.length) c[i % c.length] = 0;
  return c;
});
const badEncoding = fc.constantFrom<Mutation>(
  (b) =>
    Buffer.from(
      b.toString('latin1').replace(/charset="?[\w-]+"?/gi, 'charset="x-no-such-charset"'),
      'latin1',
    ),
  (b) => Buffer.from(b.toString('latin1').replace(/7bit|8bit/gi, 'base64'), 'latin1'),
  (b) =>
    Buffer.from(
      b.toString('latin1').replace(/\n\n/, '\nContent-Transfer-Encoding: quoted-printable\n\n=Z=\n=='),
      'latin1',
    ),
  (b) => Buffer.concat([b, Buffer.from([0xff, 0xfe, 0xc3, 0x28, 0xe2, 0x82])]),
  (b) => Buffer.from(b.toString('latin1').replace(/boundary="?([^"\s;]+)"?/i, 'boundary=""'), 'latin1'),
);

export const mutation = fc.oneof(flips, truncation, nesting, hugeHeader, nuls, badEncoding);

/** A fixture index and one to three mutations applied to it. */
export function mutatedMessage(count: number) {
  return fc
    .tuple(fc.nat({ max: count - 1 }), fc.array(mutation, { minLength: 1, maxLength: 3 }))
    .map(([i, ms]) => ({ index: i, apply: (b: Buffer) => ms.reduce((m, f) => f(m), b) }));
}
