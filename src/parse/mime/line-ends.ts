/**
 * Line ends made LF: CRLF (RFC 5322 §2.1), LF (Unix mailboxes) and a bare CR (old Mac
 * tools) all occur. Plain string searches, not /\r\n?/g: most messages are all CRLF and
 * this runs over every byte of each one (3 % of parse + classify as a regular expression).
 */
export function toLf(text: string): string {
  if (!text.includes('\r')) return text;
  const crlf = text.replaceAll('\r\n', '\n');
  return crlf.includes('\r') ? crlf.replaceAll('\r', '\n') : crlf;
}
