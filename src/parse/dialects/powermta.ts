import type { MessageView } from '../message-view.ts';
import type { Report } from '../report.ts';
import { parseRfc3464 } from '../rfc3464.ts';
import { findEntity } from '../entity-tools.ts';
import type { Dialect } from './dialect.ts';

// PowerMTA writes RFC 3464 DSNs and adds its own classification to each recipient group,
// from its configured <bounce-category-patterns> (PowerMTA User's Guide, "bounce
// categories"):
//
//   Final-Recipient: rfc822;kijitora@example.jp
//   Action: failed
//   Status: 5.0.0 (undefined status)
//   Remote-MTA: dns;mx.example.jp (192.0.2.1)
//   Diagnostic-Code: smtp;550 Unknown user kijitora@example.jp
//   X-PowerMTA-BounceCategory: bad-mailbox
//
// A category is a hint the classifier weighs with the diagnostic. Only the categories
// that name one reason are passed on; spam-related, policy-related and content-related
// come from coarse default patterns ("/blocked/ spam-related") and are left to the text.

const CATEGORY_REASONS: Readonly<Record<string, string>> = {
  'bad-mailbox': 'userunknown',
  'bad-domain': 'hostunknown',
  'inactive-mailbox': 'suspend',
  'quota-issues': 'mailboxfull',
  'virus-related': 'virusdetected',
  'message-expired': 'expired',
  'no-answer-from-host': 'networkerror',
  'bad-connection': 'networkerror',
  'routing-errors': 'networkerror',
  'relaying-issues': 'norelaying',
};

const FIELD = /^X-PowerMTA-BounceCategory:\s*([\w-]+)/im;

export const powerMta: Dialect = {
  name: 'powermta',
  readsDsn: true,
  detect(view: MessageView): boolean {
    // The raw body, not decoded: this is asked of every message.
    const part = statusPart(view);
    return part !== undefined && /X-PowerMTA-BounceCategory:/i.test(part.rawBody);
  },
  parse(view: MessageView): Report | undefined {
    const dsn = parseRfc3464(view);
    if (!dsn) return undefined;
    // One category per recipient group, in the groups' order.
    const categories = statusText(view)
      .split(/^(?=Final-Recipient:)/im)
      .filter((g) => /^Final-Recipient:/i.test(g))
      .map((g) => FIELD.exec(g)?.[1]?.toLowerCase());
    return {
      ...dsn,
      format: 'powermta',
      recipients: dsn.recipients.map((r, i) => {
        const reason = CATEGORY_REASONS[categories[i] ?? ''];
        return reason ? { ...r, reason } : r;
      }),
    };
  },
};

function statusPart(view: MessageView) {
  if (view.entity.parts.length === 0) return undefined;
  return findEntity(view.entity, (e) => e.contentType.mimeType.endsWith('delivery-status'));
}

function statusText(view: MessageView): string {
  return statusPart(view)?.text(256 * 1024) ?? '';
}
