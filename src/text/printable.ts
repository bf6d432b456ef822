/**
 * Text from a bounce (an address, a diagnostic) made safe to print: every control
 * character but tab and line feed is replaced, so "\x1b]0;…\x07\x1b[2J" in a diagnostic
 * cannot retitle or clear the reader's terminal. C0 controls and DEL become their Unicode
 * control pictures (␛, ␇, ␡), C1 controls (U+0080–U+009F, which some terminals also obey)
 * the replacement character.
 */
export function printable(text: string): string {
  return text.replace(/[\u0000-\u0008\u000b-\u001f\u007f\u0080-\u009f]/g, (c) => {
    const code = c.charCodeAt(0);
    if (code < 0x20) return String.fromCharCode(0x2400 + code);
    if (code === 0x7f) return '\u2421';
    return '\ufffd';
  });
}
