import { normalizeAddress } from '../address.ts';
import { foldSpace } from '../entity-tools.ts';
import { FAILURE_PHRASES } from '../failure-vocabulary.ts';
import { findAddresses } from './find-addresses.ts';
import { isHeaderLine } from './report-text.ts';

/**
 * How an address stands in a notice's text, strongest first:
 * - `transcript`: "RCPT TO:<kijitora@example.jp>" in an SMTP session transcript;
 * - `head`: the address opens its line, bare, bracketed, or after a short label or a bullet
 *   ("<kijitora@example.jp>: host … said: 550 …", "    kijitora@example.jp",
 *   "Recipient: kijitora@example.jp", ">>> kijitora@example.jp");
 * - `code`: right after a reply or status code ("550 5.1.1 <kijitora@example.jp>... User unknown");
 * - `sentence`: inside a sentence that says something failed ("Mail to kijitora@example.jp
 *   was rejected");
 * - `field`: on a header-like summary line ("To: kijitora@example.jp"), used only when
 *   nothing else names an address.
 */
export type Standing = 'transcript' | 'head' | 'code' | 'sentence' | 'field';

export interface RecipientBlock {
  readonly address: string;
  readonly standing: Standing;
  /** The lines that speak of this address: its own, and what follows until the next one. */
  readonly lines: string[];
}

const MAX_BLOCK_LINES = 12;
/** More addresses than any notice names: a line or a text beyond these is not a report's. */
const MAX_PER_LINE = 20;
const MAX_BLOCKS = 1000;

/** RCPT TO:<…> as a client writes it in a transcript (">>> RCPT To:<…>", "In: RCPT TO:<…>"). */
const RCPT_BEFORE = /RCPT\s{0,3}TO\s{0,3}:\s{0,3}[<"]?$/i;
/** Nothing but indentation, a bullet, a number or a short label before the address. */
const HEAD_BEFORE =
  /^\s{0,40}(?:[-*•>+]{1,3}\s{0,4}|\d{1,3}[.)]\s{1,4}|[^\s:<>@]{1,24}(?:[ -][^\s:<>@]{1,24}){0,3}\s{0,3}[:：]\s{0,4}(?:rfc822\s{0,2};\s{0,3})?)?[<"(]?$/i;
/** A reply code, an optional status, then the address: "550 5.1.1 <", "<<< 550-", "#550 ". */
/** "please contact <support@…>", "write to help@…": an address mentioned, not one that failed. */
const CONTACT_BEFORE =
  /(?:contact|write to|e-?mail us at|reach us at|send (?:an? )?(?:e-?mail|message|mail) to|mailto:)\s{0,3}[<"(]?$/i;
const CODE_BEFORE = /(?:^|[\s>#'(])[45]\d\d[ -]#?(?:[245]\.\d{1,3}\.\d{1,3}\s{0,3})?[<"']?$/;

/** Words that make a sentence about an address a failure, beyond FAILURE_PHRASES. */
const SENTENCE_WORDS = [
  'unknown',
  'not exist',
  "doesn't exist",
  'no such',
  'not found',
  'invalid',
  'rejected',
  'refused',
  'denied',
  'failed',
  'failure',
  'could not',
  "couldn't",
  'unable',
  'not delivered',
  'full',
  'quota',
  'disabled',
  'inactive',
  'unavailable',
  'blocked',
  'error',
  'problem',
];

/** Addresses of the mail system itself, never a failed recipient of the sender's. */
const SYSTEM_LOCAL_PARTS = new Set(['mailer-daemon', 'mailer_daemon', 'mailerdaemon', 'postmaster']);

/** Finds where each address stands in the notice's lines and what is said about it. */
export function recipientBlocks(lines: readonly string[], excluded: ReadonlySet<string>): RecipientBlock[] {
  const blocks: (RecipientBlock & { at: number })[] = [];
  lines.forEach((line, at) => {
    if (blocks.length >= MAX_BLOCKS) return;
    // What holds for the whole line is worked out once, however many addresses it holds.
    let lineKind: LineStanding | undefined;
    const ofLine = () => (lineKind ??= lineStanding(line));
    for (const found of findAddresses(line).slice(0, MAX_PER_LINE)) {
      const address = normalizeAddress(found.raw);
      if (!address || excluded.has(address)) continue;
      const before = line.slice(Math.max(0, found.start - 80), found.start);
      const standing = standingOf(before, ofLine);
      // "contact postmaster@…" is the mail system; "postmaster@…" heading a failure block
      // is a recipient like any other.
      if (isSystemAddress(address) && (standing === 'sentence' || standing === 'field')) continue;
      blocks.push({ address, standing, lines: [], at });
    }
  });
  const opening = blocks.filter((b) => b.standing !== 'sentence' && b.standing !== 'field');
  const starts = new Set(opening.map((b) => b.at));
  for (const b of blocks)
    b.lines.push(...blockLines(lines, b.at, starts, b.standing === 'sentence' ? 6 : MAX_BLOCK_LINES));
  return shareListReasons(blocks, lines);
}

function standingOf(before: string, ofLine: () => LineStanding): Standing {
  const line = ofLine();
  if (line === 'header' || CONTACT_BEFORE.test(before)) return 'field';
  if (RCPT_BEFORE.test(before)) return 'transcript';
  if (HEAD_BEFORE.test(before)) return 'head';
  if (CODE_BEFORE.test(before)) return 'code';
  return line;
}

type LineStanding = 'header' | 'sentence' | 'field';

/** A header-like line, a line that says something failed, or neither. */
function lineStanding(line: string): LineStanding {
  if (isHeaderLine(line)) return 'header';
  const lower = line.slice(0, 4000).toLowerCase();
  if (SENTENCE_WORDS.some((w) => lower.includes(w)) || FAILURE_PHRASES.some((p) => lower.includes(p)))
    return 'sentence';
  return 'field';
}

/**
 * The address's line and the lines after it, up to the next line that opens another
 * address, two blank lines in a row, a rule line ("-----", "*****"), or `max` lines (fewer
 * for a sentence, which usually speaks for itself; the paragraph after it may say why).
 * One blank line does not end it: "kijitora@example.jp\n\nbecause:\n\n  User … not listed".
 */
function blockLines(
  lines: readonly string[],
  at: number,
  starts: ReadonlySet<number>,
  max: number,
): string[] {
  const out = [lines[at]!];
  let blanks = 0;
  for (let i = at + 1; i < lines.length && out.length < max; i++) {
    if (starts.has(i)) break;
    const line = lines[i]!;
    if (!line.trim()) {
      if (++blanks >= 2) break;
      continue;
    }
    blanks = 0;
    // A rule line ("----- Transcript of session follows -----") starts another section: it
    // ends a block that says something already, and carries one that is only an address on
    // to the section that says why.
    if (/^\s*([-*=_#~])\1{4}/.test(line)) {
      if (out.length > 1) break;
      continue;
    }
    out.push(line);
  }
  return out;
}

/**
 * A list of addresses with one reason after it ("The following addresses had permanent
 * fatal errors:" a@…, b@…, then the reason): the reason is the list's.
 */
function shareListReasons(
  blocks: (RecipientBlock & { at: number })[],
  lines: readonly string[],
): RecipientBlock[] {
  for (let i = blocks.length - 1; i >= 0; i--) {
    const b = blocks[i]!;
    const next = blocks[i + 1];
    const bare = b.lines.length === 1 && remainderOf(lines[b.at]!, b.address) === '';
    const listed = next?.standing === 'head' && next.address !== b.address && next.at === b.at + 1;
    if (bare && listed && b.standing === 'head') b.lines.push(...next.lines.slice(1));
  }
  return blocks;
}

/** What a head line says beyond its address ("<a@b>: User unknown" → "User unknown"). */
function remainderOf(full: string, address: string): string {
  const line = full.slice(0, 1000);
  const lower = line.toLowerCase();
  const at = lower.indexOf(address.split('@')[0]!);
  return at === -1
    ? line.trim()
    : line
        .slice(lower.indexOf('@', at))
        .replace(/^@\S*/, '')
        .replace(/^[\s>:,.;)"]+/, '')
        .trim();
}

/** What the blocks say about each address, its lines once each, as one line of text. */
export function textByAddress(blocks: readonly RecipientBlock[]): Map<string, string> {
  const byAddress = new Map<string, string[]>();
  for (const b of blocks) {
    const lines = byAddress.get(b.address) ?? [];
    for (const l of b.lines) if (!lines.includes(l)) lines.push(l);
    byAddress.set(b.address, lines);
  }
  return new Map([...byAddress].map(([address, lines]) => [address, foldSpace(lines.join(' '))]));
}

export function isSystemAddress(address: string): boolean {
  return SYSTEM_LOCAL_PARTS.has(address.slice(0, address.lastIndexOf('@')));
}
