import { sourcePatchPlugin } from './source-patch-plugin.mjs';

// Used by scripts/bundle.mjs.
//
// imapflow names each attribute of a FETCH response by compiling it back into IMAP text with
// its async command compiler (`formatMessageResponse` in tools.js): for bounced's `UID` and
// `BODY[]<0>`, two awaited compiles a message, each with its promises, buffers and walk. A
// plain atom ("UID", "FLAGS", "RFC822.SIZE") compiles to itself, so the bundle names it
// directly, lowercased as imapflow does, and compiles the others as before (sections,
// partial ranges, anything the compiler would quote). A 10,000-message scan took 2.40 s
// instead of 2.48, its main thread 1.56 CPU s instead of 1.62, and again 2.44 s instead of
// 2.56 (medians of 5 and 6, interleaved, `npm run bench:e2e`, 2026-12-03). A new imapflow
// whose code differs fails the build here, to be looked at again. The whole message's
// section, `BODY[]<0>` (bounced's fetch) or `BINARY[]`, is named `body[]` directly too: the
// compiler writes it `BODY[]<0>` and imapflow cuts the range off.
export const IMAPFLOW_TOOLS = /[\\/]imapflow[\\/]dist[\\/]esm[\\/]tools\.js$/;

export const FETCH_KEY = `            key = (await compiler({
                attributes: [attribute]
            }))
                .toString()
                .toLowerCase()
                .replace(/<\\d+(\\.\\d+)?>$/, '');
            continue;
`;

/**
 * An attribute the compiler writes as its bare value: an atom with no section or partial
 * range, of characters that are ATOM-CHAR (RFC 3501 §9) and need no quoting.
 */
const ATOM_VALUE =
  "attribute && attribute.type === 'ATOM' && typeof attribute.value === 'string' && /^[A-Za-z0-9._-]+$/.test(attribute.value)";
export const PLAIN_ATOM = `${ATOM_VALUE} && !attribute.section && !attribute.partial`;

/**
 * A plain atom with an empty section (the whole message) and no partial range or one of one
 * or two whole numbers, which the compiler writes as digits (`<0>`, `<0.2097152>`) and
 * imapflow's pattern cuts off.
 */
export const WHOLE_SECTION = `${ATOM_VALUE} && Array.isArray(attribute.section) && attribute.section.length === 0 && (attribute.partial === undefined || (Array.isArray(attribute.partial) && attribute.partial.length >= 1 && attribute.partial.length <= 2 && attribute.partial.every((n) => Number.isSafeInteger(n) && n >= 0)))`;

export const SHORTCUT =
  `            if (${PLAIN_ATOM}) { key = attribute.value.toLowerCase(); continue; }\n` +
  `            if (${WHOLE_SECTION}) { key = attribute.value.toLowerCase() + '[]'; continue; }\n`;

/** tools.js with the shortcut before the compile; throws, naming the file, unless that is there once. */
export function nameAtomsDirectly(text, path) {
  const parts = text.split(FETCH_KEY);
  if (parts.length !== 2)
    throw new Error(
      `${path}: the FETCH key compile that scripts/imapflow-fetch-keys.mjs shortcuts is not there once`,
    );
  return parts.join(SHORTCUT + FETCH_KEY);
}

/** The esbuild plugin: imapflow's tools.js, with plain atoms named directly. */
export const nameFetchAtomsDirectly = sourcePatchPlugin(
  'name-fetch-atoms-directly',
  IMAPFLOW_TOOLS,
  nameAtomsDirectly,
);
