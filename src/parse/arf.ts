import { normalizeAddress } from './address.ts';
import { findEntity, readOriginal } from './entity-tools.ts';
import type { MessageView } from './message-view.ts';
import { parseFieldsFromText } from './mime/header-fields.ts';
import type { Report, ReportRecipient } from './report.ts';

/**
 * Spam complaints. ARF (RFC 5965): multipart/report; report-type=feedback-report, with a
 * message/feedback-report part. The complained-about recipient is Original-Rcpt-To
 * (§3.2), else the returned message's To. Also Microsoft's JMRP/SNDS reports, which are
 * not ARF: "Subject: complaint about message from 192.0.2.222" with the original attached
 * and X-HmXmrOriginalRecipient in it.
 */
export function parseArf(view: MessageView): Report | undefined {
  const part = findEntity(view.entity, (e) => e.contentType.mimeType === 'message/feedback-report');
  const reportType = view.entity.contentType.params['report-type']?.toLowerCase();
  if (part || reportType === 'feedback-report') {
    const fields = parseFieldsFromText((part?.text(64 * 1024) ?? '').replace(/^\s+/, ''));
    const original = readOriginal(view.entity) ?? {};
    const listed = fields.getAll('original-rcpt-to').map((a) => normalizeAddress(a));
    const fromTo = listed.some(Boolean) ? [] : (original.to ?? '').split(',').map((a) => normalizeAddress(a));
    const addresses = unique([...listed, ...fromTo]);
    return {
      type: 'feedback',
      format: 'arf',
      feedbackType: fields.get('feedback-type')?.trim().toLowerCase() ?? 'abuse',
      reportingMta: fields.get('reporting-mta')?.replace(/^\s*dns\s*;\s*/i, ''),
      arrivalDate: fields.get('arrival-date') ?? fields.get('received-date'),
      recipients: addresses.map(complained),
      original,
    };
  }
  if (/complaint about message from /i.test(view.subject)) {
    const returned = findEntity(view.entity, (e) => e.message !== undefined)?.message;
    const h = returned?.headers;
    const address = normalizeAddress(h?.get('x-hmxmroriginalrecipient')) ?? normalizeAddress(h?.get('to'));
    if (!address) return undefined;
    return {
      type: 'feedback',
      format: 'jmrp',
      feedbackType: 'abuse',
      recipients: [complained(address)],
      original: readOriginal(view.entity) ?? {},
    };
  }
  return undefined;
}

function complained(address: string): ReportRecipient {
  return { address, action: 'complained' };
}

function unique(addresses: readonly (string | undefined)[]): string[] {
  return [...new Set(addresses.filter((a): a is string => Boolean(a)))];
}
