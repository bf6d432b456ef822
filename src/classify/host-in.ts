// The server that answered, named in a diagnostic: "host mx.example.jp[192.0.2.1] said:",
// "mx.example.jp [192.0.2.1]", "host mx.example.jp said". Read by bounded scans over the
// characters a host name may hold, never by a regular expression over the whole text
// (`(?:[a-z0-9-]+\.)+` backtracks quadratically on "5.5.5.5…").

const MAX_NAME = 253; // RFC 1035 §2.3.4

function isNameChar(c: number): boolean {
  return (c >= 48 && c <= 57) || (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || c === 45 || c === 46;
}

/** "mx.example.jp" when it has a dot and ends in a label of two or more letters. */
function asHostName(s: string): string | undefined {
  const name = s.replace(/^[.-]+|[.-]+$/g, '').toLowerCase();
  const dot = name.lastIndexOf('.');
  if (dot <= 0 || name.length > MAX_NAME) return undefined;
  return /^[a-z]{2,63}$/.test(name.slice(dot + 1)) ? name : undefined;
}

/** The host name ending at `end` (exclusive), scanning back at most MAX_NAME characters. */
function nameBefore(text: string, end: number): string | undefined {
  let i = end;
  while (i > 0 && end - i < MAX_NAME && isNameChar(text.charCodeAt(i - 1))) i--;
  return asHostName(text.slice(i, end));
}

function nameAfter(text: string, start: number): string | undefined {
  let i = start;
  while (i < text.length && i - start < MAX_NAME && isNameChar(text.charCodeAt(i))) i++;
  return asHostName(text.slice(start, i));
}

const IPV4_LITERAL = /^\[(?:\d{1,3}\.){3}\d{1,3}\]/;

export function hostIn(text: string | undefined): string | undefined {
  if (!text) return undefined;
  // "name[192.0.2.1]" or "name [192.0.2.1]"
  for (let at = text.indexOf('['); at !== -1; at = text.indexOf('[', at + 1)) {
    if (!IPV4_LITERAL.test(text.slice(at, at + 18))) continue;
    let end = at;
    while (end > 0 && at - end < 8 && text[end - 1] === ' ') end--;
    const name = nameBefore(text, end);
    if (name) return name;
  }
  // "host mx.example.jp"
  const lower = text.toLowerCase();
  for (let at = lower.indexOf('host '); at !== -1; at = lower.indexOf('host ', at + 1)) {
    if (at > 0 && isNameChar(lower.charCodeAt(at - 1))) continue;
    const name = nameAfter(text, at + 5);
    if (name) return name;
  }
  return undefined;
}
