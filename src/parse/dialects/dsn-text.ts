import { findEntity } from '../entity-tools.ts';
import type { MessageView } from '../message-view.ts';
import type { ReportRecipient } from '../report.ts';
import { readDeliveryStatus } from '../rfc3464.ts';

/**
 * The DSN part's fields, for dialects that read a DSN and add what their text says. When
 * the MIME structure is broken (no Content-Type at the top, so the parts are plain text),
 * the fields are found in the text itself, from the first "Reporting-MTA:" or
 * "Final-Recipient:" line to the next boundary line.
 */
export function dsnOf(view: MessageView) {
  const part = findEntity(view.entity, (e) =>
    ['message/delivery-status', 'message/global-delivery-status'].includes(e.contentType.mimeType),
  );
  if (part) return readDeliveryStatus(part.text(256 * 1024));
  const start = view.text.search(/^(Reporting-MTA|Final-Recipient|Original-Recipient):/im);
  if (start === -1) return undefined;
  const rest = view.text.slice(start);
  const end = rest.search(/^--\S/m);
  return readDeliveryStatus(end === -1 ? rest : rest.slice(0, end));
}

/** Per-recipient additions a dialect read from its text. */
export interface TextDetails {
  readonly diagnostic?: string;
  readonly command?: string;
  readonly remoteMta?: string;
  readonly reason?: string;
}

export function merged(r: ReportRecipient, extra: TextDetails | undefined): ReportRecipient {
  if (!extra) return r;
  return {
    ...r,
    diagnostic: extra.diagnostic || r.diagnostic,
    command: extra.command ?? r.command,
    remoteMta: r.remoteMta ?? extra.remoteMta,
    reason: extra.reason ?? r.reason,
  };
}
