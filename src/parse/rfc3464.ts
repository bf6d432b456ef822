import { normalizeAddress } from './address.ts';
import { findEntity, foldSpace, readOriginal, stripType } from './entity-tools.ts';
import { HeaderFields, parseFieldsFromText } from './mime/header-fields.ts';
import type { MessageView } from './message-view.ts';
import type { MimeEntity } from './mime/mime-entity.ts';
import { recipientBlocks, textByAddress } from './text/recipient-blocks.ts';
import type { OriginalMessage, Report, ReportRecipient } from './report.ts';

/** message/delivery-status (RFC 3464 §2.1) and its UTF-8 form (RFC 6533 §6). */
const STATUS_TYPES = new Set(['message/delivery-status', 'message/global-delivery-status']);

/**
 * RFC 3464 delivery status notification: a multipart/report whose machine-readable part
 * holds one per-message field group, then one group per recipient, separated by blank
 * lines (§2.1). Also read when the status part is nested deeper (a forwarded report) or
 * the container is multipart/mixed, which some gateways produce.
 */
export function parseRfc3464(view: MessageView): Report | undefined {
  const statusPart = findEntity(view.entity, (e) => STATUS_TYPES.has(e.contentType.mimeType));
  if (!statusPart) return undefined;
  const text = statusPart.text(MAX_STATUS_CHARS);
  // A status part cut by a bound ends in a recipient group cut in half ("r2177@x43"): that
  // group is dropped, never stored, and the report says how far it was read.
  const cutByBound = text.length >= MAX_STATUS_CHARS;
  const cutWithMessage = view.truncated === true && isLastPart(view.entity, statusPart);
  const cut = cutByBound || cutWithMessage;
  const fields = readDeliveryStatus(cut ? text.slice(0, text.lastIndexOf('\n\n') + 1) : text);
  if (!fields || fields.recipients.length === 0) return undefined;
  // Worked out on first use: most recipients have a diagnostic that names the reason, and
  // the classifier reads the evidence only when it does not.
  let about: Map<string, string> | undefined;
  const aboutRecipient = (address: string) => (about ??= linesAboutRecipients(view.text)).get(address);
  let lower: string | undefined;
  const lowerText = () => (lower ??= view.text.toLowerCase());
  return {
    type: 'delivery-status',
    format: 'rfc3464',
    reportingMta: fields.reportingMta,
    arrivalDate: fields.arrivalDate,
    recipients: fields.recipients.map((r) => withTextDetails(r, aboutRecipient, view.text, lowerText)),
    original: readOriginal(view.entity) ?? ({} as OriginalMessage),
    truncated: cut
      ? `delivery-status part cut at ${cutByBound ? `${MAX_STATUS_CHARS} characters` : 'the end of the bytes read (scan.maxMessageBytes)'}: ${fields.recipients.length} recipients read, the rest not`
      : undefined,
  };
}

/**
 * The delivery-status part is read in full up to this many characters (about 40,000
 * recipient groups); past it the report is marked truncated.
 */
export const MAX_STATUS_CHARS = 4 * 1024 * 1024;

/** The part is the last one read: a message cut at maxBytes ends inside it. */
function isLastPart(root: MimeEntity, part: MimeEntity): boolean {
  let node = root;
  while (node.parts.length) node = node.parts[node.parts.length - 1]!;
  return node === part;
}

/**
 * The human-readable part often says what the fields leave out: Postfix writes "(in reply
 * to RCPT TO command)" only there, Gmail leaves Diagnostic-Code empty and explains in
 * prose ("Your message wasn't delivered to … because the address couldn't be found"), and
 * sendmail's transcript says "<kijitora@example.co.jp>... Deferred: Name server: …: host
 * name lookup failure" where the fields say only 4.4.7. The lines about the recipient
 * fill what is missing and are kept as its evidence; the fields still win.
 */
function withTextDetails(
  r: ReportRecipient,
  aboutRecipient: (address: string) => string | undefined,
  text: string,
  lowerText: () => string,
): ReportRecipient {
  const explained =
    r.diagnostic !== undefined &&
    /in reply to|after (RCPT|MAIL|DATA|end of data)|command\)/i.test(r.diagnostic);
  // Without a diagnostic, the lines about the recipient are the diagnostic.
  const lines = r.diagnostic ? undefined : aboutRecipient(r.address);
  const paragraph = explained ? undefined : (lines ?? paragraphNaming(text, lowerText(), r.address));
  const diagnostic = r.diagnostic ?? (paragraph ? foldSpace(paragraph).slice(0, 1000) : undefined);
  // The evidence, worked out only if the classifier asks for it.
  let evidence: string | undefined | null = null;
  return {
    ...r,
    diagnostic: diagnostic || undefined,
    command: r.command ?? (paragraph ? commandIn(paragraph) : undefined),
    evidence: () => {
      if (evidence === null) {
        const about = lines ?? aboutRecipient(r.address);
        evidence = about && about !== diagnostic ? about : undefined;
      }
      return evidence;
    },
  };
}

/** What the human-readable text says about each address, from the generic reader's blocks. */
function linesAboutRecipients(text: string): Map<string, string> {
  // The human-readable part of a DSN holds no returned message (that is a part of its own),
  // so its lines are read as they are.
  const about = textByAddress(recipientBlocks(text.split('\n', 600), new Set()));
  return new Map([...about].map(([a, t]) => [a, t.slice(0, 2000)]));
}

function paragraphNaming(text: string, lower: string, address: string): string | undefined {
  const at = lower.indexOf(address.toLowerCase());
  if (at === -1) return undefined;
  const start = lower.lastIndexOf('\n\n', at);
  const end = lower.indexOf('\n\n', at);
  return text.slice(start === -1 ? 0 : start + 2, end === -1 ? Math.min(text.length, at + 2000) : end);
}

/**
 * "(in reply to RCPT TO command)" (Postfix), "SMTP error from remote mail server after
 * EHLO neko.example.com:" (Exim).
 */
function commandIn(paragraph: string): string | undefined {
  const m =
    /in reply to (?:end of )?(RCPT|MAIL|DATA|HELO|EHLO|STARTTLS)/i.exec(paragraph) ??
    /error from remote (?:mail server|mailer) after (RCPT|MAIL|DATA|HELO|EHLO|STARTTLS|end of data|initial connection)/i.exec(
      paragraph,
    );
  if (!m) return undefined;
  const word = m[1]!.toLowerCase();
  if (word === 'end of data') return 'DATA';
  if (word === 'initial connection') return 'CONN';
  return word.toUpperCase();
}

interface DeliveryStatusFields {
  reportingMta?: string;
  arrivalDate?: string;
  recipients: ReportRecipient[];
}

export function readDeliveryStatus(text: string): DeliveryStatusFields | undefined {
  // Groups are separated by blank lines; lines of only white space count as blank.
  const chunks = text
    .replace(/^[ \t]+$/gm, '')
    .split(/\n{2,}/)
    .map((g) => parseFieldsFromText(g.replace(/^\n+/, '')))
    .filter((g) => g.size > 0);
  if (chunks.length === 0) return undefined;
  const result: DeliveryStatusFields = { recipients: [] };
  for (const group of chunks.flatMap(splitRecipients)) {
    result.reportingMta ??= stripType(group.get('reporting-mta'));
    result.arrivalDate ??= group.get('arrival-date');
    const recipient = readRecipient(group);
    if (recipient) result.recipients.push(recipient);
  }
  return result;
}

/**
 * Some MTAs leave out the blank lines (AOL writes the per-message fields and every
 * recipient as one block): a second Final-Recipient starts the next recipient.
 */
function splitRecipients(chunk: HeaderFields): HeaderFields[] {
  const groups: (readonly [string, string])[][] = [[]];
  for (const field of chunk.entries()) {
    const current = groups.at(-1)!;
    if (field[0] === 'final-recipient' && current.some(([n]) => n === 'final-recipient')) {
      // An Original-Recipient written just before this Final-Recipient belongs with it.
      const moved = current.at(-1)?.[0] === 'original-recipient' ? [current.pop()!] : [];
      groups.push([...moved, field]);
    } else {
      current.push(field);
    }
  }
  return groups.length === 1 ? [chunk] : groups.map((g) => new HeaderFields(g));
}

function readRecipient(group: HeaderFields): ReportRecipient | undefined {
  // Some servers put the address only in Original-Recipient or X-Actual-Recipient.
  const address =
    normalizeAddress(group.get('final-recipient')) ??
    normalizeAddress(group.get('x-actual-recipient')) ??
    normalizeAddress(group.get('original-recipient'));
  if (!address) return undefined;
  const diagnostic = group.get('diagnostic-code');
  const typed = diagnostic ? /^\s*([A-Za-z0-9-]{1,20})\s*;\s*([\s\S]*)$/.exec(diagnostic) : null;
  return {
    address,
    originalRecipient: normalizeAddress(group.get('original-recipient')),
    action: group.get('action')?.trim().toLowerCase().split(/[\s(]/)[0] || undefined,
    status: group.get('status')?.trim() || undefined,
    diagnosticType: typed ? typed[1]!.toLowerCase() : undefined,
    diagnostic: foldSpace(typed ? typed[2]! : diagnostic) || undefined,
    remoteMta: stripType(group.get('remote-mta')),
    lastAttemptDate: group.get('last-attempt-date'),
  };
}
