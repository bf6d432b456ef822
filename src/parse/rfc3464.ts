import { normalizeAddress } from './address.ts';
import { findEntity, foldSpace, readOriginal, stripType } from './entity-tools.ts';
import { type HeaderFields, parseHeaderBlock } from './mime/header-fields.ts';
import type { MimeEntity } from './mime/mime-entity.ts';
import type { OriginalMessage, Report, ReportRecipient } from './report.ts';

/** message/delivery-status (RFC 3464 §2.1) and its UTF-8 form (RFC 6533 §6). */
const STATUS_TYPES = new Set(['message/delivery-status', 'message/global-delivery-status']);

/**
 * RFC 3464 delivery status notification: a multipart/report whose machine-readable part
 * holds one per-message field group, then one group per recipient, separated by blank
 * lines (§2.1). Also read when the status part is nested deeper (a forwarded report) or
 * the container is multipart/mixed, which some gateways produce.
 */
export function parseRfc3464(entity: MimeEntity): Report | undefined {
  const statusPart = findEntity(entity, (e) => STATUS_TYPES.has(e.contentType.mimeType));
  if (!statusPart) return undefined;
  const fields = readDeliveryStatus(statusPart.text(256 * 1024));
  if (!fields) return undefined;
  return {
    type: 'delivery-status',
    format: 'rfc3464',
    reportingMta: fields.reportingMta,
    arrivalDate: fields.arrivalDate,
    recipients: fields.recipients,
    original: readOriginal(entity) ?? ({} as OriginalMessage),
  };
}

interface DeliveryStatusFields {
  reportingMta?: string;
  arrivalDate?: string;
  recipients: ReportRecipient[];
}

export function readDeliveryStatus(text: string): DeliveryStatusFields | undefined {
  // Groups are separated by blank lines; lines of only white space count as blank.
  const groups = text
    .replace(/^[ \t]+$/gm, '')
    .split(/\n{2,}/)
    .map((g) => parseHeaderBlock(g.replace(/^\n+/, '')))
    .filter((g) => g.size > 0);
  if (groups.length === 0) return undefined;
  const result: DeliveryStatusFields = { recipients: [] };
  for (const group of groups) {
    result.reportingMta ??= stripType(group.get('reporting-mta'));
    result.arrivalDate ??= group.get('arrival-date');
    const recipient = readRecipient(group);
    if (recipient) result.recipients.push(recipient);
  }
  return result;
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
