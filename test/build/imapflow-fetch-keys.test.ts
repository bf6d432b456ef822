import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { compiler, parser } from 'imapflow/lib/handler/imap-handler.js';
import { describe, expect, it } from 'vitest';
import {
  FETCH_KEY,
  IMAPFLOW_TOOLS,
  nameAtomsDirectly,
  SHORTCUT,
} from '../../scripts/imapflow-fetch-keys.mjs';
import { bundledImapflow, installedImapflowFile } from '../helpers/imapflow-files.ts';

const installedTools = () => installedImapflowFile('tools.js');

interface Attribute {
  type: string;
  value: unknown;
  section?: unknown;
  partial?: unknown;
}

/** imapflow's own naming of an attribute: compiled back into IMAP text, lowercased, no partial range. */
async function compiledKey(attribute: Attribute): Promise<string> {
  return (await compiler({ attributes: [attribute] } as never))
    .toString()
    .toLowerCase()
    .replace(/<\d+(\.\d+)?>$/, '');
}

/**
 * The bundle's naming: the shortcut's own text, as inserted in imapflow's loop (its
 * `continue` ends the one-pass loop with the key set); undefined where it compiles.
 */
const shortcut = new Function(
  'attribute',
  `let key;\ndo {\n${SHORTCUT}            return undefined;\n} while (false);\nreturn key;`,
) as (a: Attribute) => string | undefined;

describe('the bundle names plain atoms of FETCH responses without imapflow compiling them', () => {
  it('inserts the shortcut once, before the compile, and changes nothing else', () => {
    const path = installedTools();
    expect(path).toMatch(IMAPFLOW_TOOLS);
    const original = readFileSync(path, 'utf8');
    const patched = nameAtomsDirectly(original, path);
    expect(patched.split(SHORTCUT)).toHaveLength(2);
    expect(patched).toContain(SHORTCUT + FETCH_KEY);
    expect(patched.replace(SHORTCUT, '')).toBe(original);
  });

  it('names the attributes of a FETCH response as the compiler does, and compiles the rest', async () => {
    const response = await parser(
      Buffer.from(
        '* 12 FETCH (UID 42 BODY[]<0> {5}\r\n FLAGS (\\Seen) RFC822.SIZE 1234 MODSEQ (5) ' +
          'BODY[HEADER.FIELDS (SUBJECT)] "x" BINARY[1]<0.10> "y" INTERNALDATE "01-Dec-2026 10:00:00 +0000" ' +
          'EMAILID (M1) X-GM-MSGID 123 THREADID (T1))',
      ),
      { literals: [Buffer.from('hello')] },
    );
    const attributes = (response.attributes as unknown as [unknown, Attribute[]])[1];
    const direct: string[] = [];
    const compiled: string[] = [];
    for (let i = 0; i < attributes.length; i += 2) {
      const a = attributes[i]!;
      const name = shortcut(a);
      if (name === undefined) compiled.push(await compiledKey(a));
      else {
        expect(name).toBe(await compiledKey(a));
        direct.push(name);
      }
    }
    expect(direct).toEqual([
      'uid',
      'body[]',
      'flags',
      'rfc822.size',
      'modseq',
      'internaldate',
      'emailid',
      'x-gm-msgid',
      'threadid',
    ]);
    expect(compiled).toEqual(['body[header.fields (subject)]', 'binary[1]']);
  });

  it('names any atom it takes as the compiler would', async () => {
    const chars = 'abcXYZ019.-_\\[]"( %*{}'.split('');
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.constantFrom(...chars), { minLength: 0, maxLength: 12 }).map((cs) => cs.join('')),
        async (value) => {
          const a: Attribute = { type: 'ATOM', value };
          const name = shortcut(a);
          // Taken only when the compiler would write the value bare: then the names agree.
          if (name !== undefined) expect(name).toBe(await compiledKey(a));
          else expect(/^[A-Za-z0-9._-]+$/.test(value)).toBe(false);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('names any whole-message section with any partial range as the compiler would', async () => {
    const plain = /^[A-Za-z0-9._-]+$/;
    const range = fc.oneof(
      fc.nat(),
      fc.integer({ min: -3, max: -1 }),
      fc.constantFrom(0.5, 1e21, Number.MAX_SAFE_INTEGER + 2),
    );
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom('BODY', 'BINARY', 'body', 'BODY.PEEK', 'a"b', 'X Y'),
        fc.constantFrom<unknown[]>([], [{ type: 'ATOM', value: 'HEADER' }], [{ type: 'ATOM', value: '1' }]),
        fc.option(fc.array(range, { minLength: 0, maxLength: 3 }), { nil: undefined }),
        async (value, section, partial) => {
          const a: Attribute = { type: 'ATOM', value, section, ...(partial ? { partial } : {}) };
          const name = shortcut(a);
          const whole =
            plain.test(value) &&
            section.length === 0 &&
            (partial === undefined ||
              (partial.length >= 1 &&
                partial.length <= 2 &&
                partial.every((n) => Number.isSafeInteger(n) && n >= 0)));
          expect(name !== undefined).toBe(whole);
          if (name !== undefined) expect(name).toBe(await compiledKey(a));
        },
      ),
      { numRuns: 300 },
    );
  });

  it('is in the built bundle (npm run build)', () => {
    // esbuild prints the code again in its own style: both conditions, by their distinctive parts.
    const bundled = bundledImapflow();
    expect(bundled).toContain('/^[A-Za-z0-9._-]+$/.test(attribute.value) && !attribute.section');
    expect(bundled).toContain('attribute.section.length === 0');
  });

  it('fails the build, naming the file, when imapflow changed that code', () => {
    const path = installedTools();
    const original = readFileSync(path, 'utf8');
    const changed = original.replace(FETCH_KEY, FETCH_KEY.replace('.toLowerCase()', '.toUpperCase()'));
    expect(changed).not.toBe(original);
    expect(() => nameAtomsDirectly(changed, path)).toThrow(
      `${path}: the FETCH key compile that scripts/imapflow-fetch-keys.mjs shortcuts is not there once`,
    );
    expect(() => nameAtomsDirectly(original + FETCH_KEY, path)).toThrow('is not there once');
  });
});
