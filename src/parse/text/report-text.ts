/** Lines of a notice read at most: the report is at the top, whatever follows it. */
const MAX_LINES = 600;

/**
 * Lines that start the returned message inside a free-form notice (the copy is not the
 * report: its addresses are the sender's and the original recipients'). Lower case;
 * a line must be short to count, so that prose that merely mentions "the original message"
 * does not cut the report.
 */
const ORIGINAL_MARKERS: readonly string[] = [
  'original message', // "----- Original message -----", "Original message headers:"
  'below this line is a copy', // qmail-send: "--- Below this line is a copy of the message."
  'below the next line is a copy',
  'this is a copy of the message', // Exim: "------ This is a copy of the message, including all the headers. ------"
  'copy of the original message',
  'copy of your message',
  'copy of the message follows',
  'returned message',
  'unsent message below',
  'message headers follow',
  'original headers',
  'headers of the original message',
  'header of the original message',
  'the text of your message',
  'your message reads',
  'message follows',
  'ursprüngliche nachricht',
  'originalnachricht',
  "message d'origine",
  'message original',
  'mensaje original',
  'messaggio originale',
  'mensagem original',
  'oorspronkelijk bericht',
  'исходное сообщение',
  '原始邮件',
  '原始郵件',
  '元のメッセージ',
  '元メッセージ',
];

/** Not a marker: sendmail's "The original message was received at Thu, 1 Jan …". */
const NOT_MARKERS = ['original message was received', 'original message was sent'];

/** Header fields that open a message's header block (RFC 5322 §3.6). */
const HEADER_NAMES = new Set([
  'received',
  'return-path',
  'from',
  'to',
  'cc',
  'subject',
  'date',
  'message-id',
  'mime-version',
  'content-type',
  'reply-to',
  'sender',
  'dkim-signature',
  'x-mailer',
  'delivered-to',
  'x-original-to',
  'authentication-results',
]);
const STRONG_HEADERS = new Set([
  'received',
  'return-path',
  'message-id',
  'mime-version',
  'dkim-signature',
  'date',
]);

/** The notice's own lines, and the inline copy of the returned message that follows them. */
export interface ReportText {
  readonly lines: readonly string[];
  readonly original: string;
}

/** Splits a free-form notice at its returned message: a marker line, or a header block. */
export function reportText(text: string): ReportText {
  const lines = text.split('\n', MAX_LINES * 2);
  const end = Math.min(lines.length, MAX_LINES);
  for (let i = 0; i < end; i++) {
    const line = lines[i]!;
    if (isMarker(line) || startsHeaderBlock(lines, i)) {
      return { lines: lines.slice(0, i), original: lines.slice(i + (isMarker(line) ? 1 : 0)).join('\n') };
    }
  }
  return { lines: lines.slice(0, end), original: '' };
}

function isMarker(line: string): boolean {
  if (line.length > 100) return false;
  const lower = line.toLowerCase();
  return ORIGINAL_MARKERS.some((m) => lower.includes(m)) && !NOT_MARKERS.some((m) => lower.includes(m));
}

/** Three or more unindented header lines in a row, one of them a field only a message has. */
function startsHeaderBlock(lines: readonly string[], at: number): boolean {
  let count = 0;
  let strong = false;
  for (let i = at; i < lines.length && i < at + 12; i++) {
    const line = lines[i]!;
    if (/^[ \t]/.test(line) && count > 0) continue; // a folded header line
    const name = /^([A-Za-z][A-Za-z0-9-]{0,40}):/.exec(line)?.[1]?.toLowerCase();
    if (!name || !HEADER_NAMES.has(name)) break;
    count++;
    if (STRONG_HEADERS.has(name)) strong = true;
  }
  return count >= 3 && strong;
}

/**
 * A line that is a header field of some message (the report's own summary of the original,
 * "To: …", "From: …", "Message-ID: …"), in English or the common localisations of Outlook.
 * Its addresses name who sent or was meant to get the message, not who failed.
 */
export function isHeaderLine(line: string): boolean {
  return /^\s{0,8}(from|to|cc|bcc|reply-to|sender|return-path|message-id|in-reply-to|references|received|subject|date|sent|von|an|de|à|a|para|da|van|aan|от|кому|差出人|发件人)\s{0,8}:/i.test(
    line,
  );
}
