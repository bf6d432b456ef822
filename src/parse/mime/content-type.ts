import { decodeCharset } from './charset.ts';
import { decodeHeaderValue } from './header-fields.ts';

export interface ContentType {
  /** Lower-case `type/subtype`; `text/plain` when absent or unreadable (RFC 2045 §5.2). */
  readonly mimeType: string;
  readonly params: Readonly<Record<string, string>>;
}

const DEFAULT: ContentType = { mimeType: 'text/plain', params: {} };

/** Parses `type/subtype; name=value; name*=charset''pct-encoded` (RFC 2045, RFC 2231). */
export function parseContentType(raw: string | undefined): ContentType {
  if (!raw) return DEFAULT;
  const semi = raw.indexOf(';');
  const head = (semi === -1 ? raw : raw.slice(0, semi)).trim().toLowerCase();
  const mimeType = /^[a-z0-9!#$&^_.+-]+\/[a-z0-9!#$&^_.+-]+$/.test(head) ? head : 'text/plain';
  return { mimeType, params: semi === -1 ? {} : parseParams(raw.slice(semi + 1)) };
}

export function parseParams(text: string): Record<string, string> {
  const plain: Record<string, string> = {};
  const continued = new Map<string, { parts: string[]; charset?: string }>();
  let i = 0;
  while (i < text.length) {
    while (i < text.length && (text[i] === ';' || text[i] === ' ' || text[i] === '\t')) i++;
    const eq = text.indexOf('=', i);
    if (eq === -1) break;
    const name = text.slice(i, eq).trim().toLowerCase();
    i = eq + 1;
    while (text[i] === ' ' || text[i] === '\t') i++;
    let value: string;
    if (text[i] === '"') {
      let j = i + 1;
      let out = '';
      while (j < text.length && text[j] !== '"') {
        if (text[j] === '\\' && j + 1 < text.length) j++;
        out += text[j];
        j++;
      }
      value = out;
      i = j + 1;
    } else {
      let j = text.indexOf(';', i);
      if (j === -1) j = text.length;
      value = text.slice(i, j).trim();
      i = j;
    }
    if (!name) continue;
    // RFC 2231 §3-4: name*0, name*1*, name*=charset'lang'value
    const m = /^([^*]+)\*(?:(\d+)\*?|)$/.exec(name) ?? /^([^*]+)\*(\d+)?\*$/.exec(name);
    if (m) {
      const base = m[1]!;
      const index = m[2] === undefined ? 0 : Number(m[2]);
      const entry = continued.get(base) ?? { parts: [] };
      let v = value;
      if (name.endsWith('*') && index === 0) {
        const q = /^([^']*)'[^']*'(.*)$/.exec(v);
        if (q) {
          entry.charset = q[1] || undefined;
          v = q[2]!;
        }
      }
      entry.parts[index] = name.endsWith('*') ? percentDecode(v) : v;
      continued.set(base, entry);
    } else {
      plain[name] = decodeHeaderValue(value);
    }
  }
  for (const [base, entry] of continued) {
    if (plain[base] !== undefined) continue;
    const bytes = Buffer.from(entry.parts.join(''), 'latin1');
    plain[base] = decodeCharset(bytes, entry.charset);
  }
  return plain;
}

function percentDecode(s: string): string {
  return s.replace(/%([0-9A-Fa-f]{2})/g, (_m, h: string) => String.fromCharCode(Number.parseInt(h, 16)));
}
