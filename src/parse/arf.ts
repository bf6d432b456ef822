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
    // "A report with no type" is read as abuse, as the providers that send one mean it.
    const feedbackType = fields.get('feedback-type')?.trim().toLowerCase() || 'abuse';
    const aboutSender = SENDER_TYPES.has(feedbackType);
    // An auth-failure, fraud or virus report is about the sending, and may name no
    // recipient: the evidence is then filed under the original's From, our own address.
    const fallback =
      aboutSender && !listed.some(Boolean) && !fromTo.some(Boolean) ? [normalizeAddress(original.from)] : [];
    const addresses = unique([...listed, ...fromTo, ...fallback]);
    const detail = aboutSender ? senderDetail(feedbackType, fields) : undefined;
    return {
      type: 'feedback',
      format: 'arf',
      feedbackType,
      reportingMta: fields.get('reporting-mta')?.replace(/^\s*dns\s*;\s*/i, ''),
      arrivalDate: fields.get('arrival-date') ?? fields.get('received-date'),
      recipients: addresses.map((a) => ({ ...complained(a), ...(detail ? { diagnostic: detail } : {}) })),
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

/**
 * Feedback types about the sending, not a recipient's wish (RFC 5965 §7.3, RFC 6591 §3):
 * an authentication failure of our mail, a phishing ("fraud") or virus finding.
 */
const SENDER_TYPES = new Set(['auth-failure', 'fraud', 'virus']);

/** What an auth-failure report says failed (RFC 6591 §3.1): "Auth-Failure: dkim", "Reported-Domain: example.com". */
function senderDetail(type: string, fields: ReturnType<typeof parseFieldsFromText>): string {
  const parts = [`ARF ${type} report`];
  const failure = fields.get('auth-failure')?.trim();
  if (failure) parts.push(`${failure} failed`);
  const domain = fields.get('reported-domain')?.trim() ?? fields.get('dkim-domain')?.trim();
  if (domain) parts.push(`for ${domain}`);
  const source = fields.get('source-ip')?.trim();
  if (source) parts.push(`from ${source}`);
  return parts.join(' ');
}

function complained(address: string): ReportRecipient {
  return { address, action: 'complained' };
}

function unique(addresses: readonly (string | undefined)[]): string[] {
  return [...new Set(addresses.filter((a): a is string => Boolean(a)))];
}
