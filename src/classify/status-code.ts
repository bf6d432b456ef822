// RFC 3463 enhanced status codes and RFC 5321 reply codes, found in report fields and texts.

/** class.subject.detail: class 2, 4 or 5; subject and detail up to three digits (RFC 3463 §2). */
const STATUS = /(?<![\d.])([245])\.(\d{1,3})\.(\d{1,3})(?![\d]|\.\d)/;
/** A reply code standing alone: "550 ", "550-", "550" at the end, not part of a longer number. */
const REPLY = /(?<![\d.])([245][0-5]\d)(?![\d.])/g;

/** A status right after a reply code: "550 5.1.1", "550-5.7.1", "550-'5.7.1". */
const STATUS_AFTER_REPLY = /(?<!\d)[245]\d\d[ -]['"]?([245])\.(\d{1,3})\.(\d{1,3})(?![\d]|\.\d)/;

/**
 * The status code in a text. One that follows a reply code wins over one elsewhere: a relay
 * often prefixes its own ("5.1.0 - Unknown address error 550-'5.7.1 … Access denied'").
 */
export function findStatus(text: string | undefined): string | undefined {
  if (!text) return undefined;
  const m = STATUS_AFTER_REPLY.exec(text) ?? STATUS.exec(text);
  return m ? `${m[1]}.${Number(m[2])}.${Number(m[3])}` : undefined;
}

/**
 * Multi-line replies repeat the code on every line ("550-5.7.1 Our system … 550-5.7.1 this
 * message … 550 5.7.1 https://…"); the repeats split phrases apart. Keeps the text once,
 * led by a single "550 5.7.1".
 */
export function unwrapMultiline(text: string, reply: string | undefined, status: string | undefined): string {
  if (!reply || !text.includes(`${reply}-`)) return text;
  let out = text;
  for (const sep of ['-', ' ']) {
    if (status) out = out.split(`${reply}${sep}${status} `).join('');
    out = out.split(`${reply}${sep}`).join('');
  }
  out = out.replace(/\s+/g, ' ').trim();
  return `${reply}${status ? ` ${status}` : ''} ${out}`;
}

/**
 * The SMTP reply code in a diagnostic, preferring one of the status code's class (a text
 * can quote several numbers: "550 5.1.1 ... 421 later").
 */
export function findReplyCode(text: string | undefined, statusClass?: string): string | undefined {
  if (!text) return undefined;
  let first: string | undefined;
  REPLY.lastIndex = 0;
  const head = text.slice(0, 2000);
  for (let m = REPLY.exec(head); m; m = REPLY.exec(head)) {
    const code = m[1]!;
    // "550 5.1.1" or a code at the start of the text is a reply code; a bare number in
    // the middle of prose (an IP octet, a size) is not, unless it is all there is.
    const at = m.index;
    const after = head.slice(at + 3, at + 5);
    const lead = at === 0 || /[\s:;(>"'\]-]/.test(head[at - 1]!);
    if (!lead || !/^([ -]|$|\))/.test(after)) continue;
    if (!statusClass || code[0] === statusClass) return code;
    first ??= code;
  }
  return statusClass ? undefined : first;
}

/** 5.x.x is permanent, 4.x.x transient, 2.x.x success (RFC 3463 §3.1). */
export function statusClass(status: string | undefined): '2' | '4' | '5' | undefined {
  const c = status?.[0];
  return c === '2' || c === '4' || c === '5' ? c : undefined;
}

/**
 * The Status field and the code in the diagnostic text often differ. Prefer the one whose
 * class agrees with the reply code; otherwise the more specific one: x.0.0 says only
 * "permanent", and some details (4.4.7, 4.7.0, 5.3.x, x.5.1-x.5.5) are catch-alls that
 * servers use when the text carries the precise code.
 */
export function preferStatus(
  field: string | undefined,
  inText: string | undefined,
  reply: string | undefined,
): string | undefined {
  if (!field) return inText;
  if (!inText) return field;
  if (reply && field[0] !== inText[0]) {
    if (reply[0] === field[0]) return field;
    if (reply[0] === inText[0]) return inText;
  }
  if (field === inText) return field;
  const fieldZero = field.includes('.0');
  const textZero = inText.includes('.0');
  if (/^\d\.0\.0$/.test(field)) return /^\d\.0\.0$/.test(inText) ? field : inText;
  if (fieldZero && !textZero) return inText;
  if (/^\d\.0\.0$/.test(inText)) return field;
  if (field === '4.4.7' || field === '4.7.0' || field.startsWith('5.3.')) return inText;
  if (/^\d\.5\.[1245]$/.test(field)) return inText;
  if (field === '5.1.1') return textZero || inText.startsWith('5.5.') ? field : inText;
  if (field === '5.1.3' && inText.startsWith('5.7.')) return inText;
  return field;
}

const COMMANDS: readonly (readonly [string, string])[] = [
  ['HELO', 'HELO'],
  ['EHLO', 'EHLO'],
  ['STARTTLS', 'STARTTLS'],
  ['AUTH ', 'AUTH'],
  ['MAIL F', 'MAIL'],
  ['RCPT', 'RCPT'],
  ['DATA', 'DATA'],
  ['QUIT', 'QUIT'],
];

/**
 * The SMTP command a diagnostic says it answered: "(in reply to RCPT TO command)",
 * "after RCPT TO:<…>", "in reply to end of DATA command". The last one named wins, as it
 * is the one that failed. Words inside addresses or host names (DATABASE@…) do not count.
 */
export function findCommand(text: string | undefined): string | undefined {
  if (!text) return undefined;
  if (/end of data|after end of data|after data/i.test(text)) return 'DATA';
  let found: string | undefined;
  let foundAt = -1;
  for (const [needle, name] of COMMANDS) {
    let at = text.indexOf(needle);
    while (at !== -1) {
      const before = text.charCodeAt(at - 1);
      const after = text.charCodeAt(at + needle.length);
      const word = (c: number) =>
        (c >= 48 && c <= 57) || (c >= 64 && c <= 90) || (c >= 97 && c <= 122) || c === 46;
      if (!word(before) && (needle.includes(' ') || !word(after))) {
        if (at > foundAt) {
          found = name;
          foundAt = at;
        }
        break;
      }
      at = text.indexOf(needle, at + 1);
    }
  }
  return found;
}
