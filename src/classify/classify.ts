import type { ParseResult, ReportRecipient } from '../parse/report.ts';
import type { Analysis, MessageKind, RecipientVerdict, StatusSource } from './analysis.ts';
import { findReplyCode, findStatus, isGenericStatus, statusClass } from './status-code.ts';
import { reasonForStatus } from './status-reasons.ts';

/** The classify stage: what the parse stage read → kind, and a verdict per recipient. */
export function classify(result: ParseResult): Analysis {
  if (!result.ok) return { kind: 'none', note: result.reason, recipients: [] };
  const { report } = result;
  const recipients = report.recipients.map(judge);
  return {
    kind: kindOf(recipients),
    format: report.format,
    note: recipients.length === 0 ? 'report names no recipient' : undefined,
    reportingMta: report.reportingMta,
    arrivalDate: report.arrivalDate,
    originalMessageId: report.original.messageId,
    recipients,
  };
}

function kindOf(recipients: readonly RecipientVerdict[]): MessageKind {
  const actions = new Set(recipients.map((r) => r.action));
  if (actions.has('failed')) return 'bounce';
  if (actions.has('delayed')) return 'delayed';
  if (actions.has('delivered') || actions.has('relayed') || actions.has('expanded')) return 'delivered';
  return 'none';
}

function judge(r: ReportRecipient): RecipientVerdict {
  const { status, source } = pickStatus(r);
  const action = r.action ?? actionForStatus(status);
  const reason = action === 'delivered' ? 'delivered' : (reasonForStatus(status) ?? 'undefined');
  const failed = action === 'failed';
  return {
    address: r.address,
    originalRecipient: r.originalRecipient,
    action,
    status,
    statusSource: status ? source : undefined,
    replyCode: findReplyCode(r.diagnostic),
    diagnostic: r.diagnostic,
    remoteMta: r.remoteMta,
    reason,
    // The foundation's rule: a permanent failure suppresses. The analysis refines it.
    hard: failed && statusClass(status) === '5' && !status?.startsWith('5.7.'),
    senderSide: failed && Boolean(status?.startsWith('5.7.')),
  };
}

/** The Status field, unless it is generic (5.0.0) and the diagnostic is precise. */
function pickStatus(r: ReportRecipient): { status?: string; source: StatusSource } {
  const fromReport = findStatus(r.status);
  const fromText = findStatus(r.diagnostic);
  if (fromReport && !(isGenericStatus(fromReport) && fromText && fromText[0] === fromReport[0])) {
    return { status: fromReport, source: 'report' };
  }
  if (fromText) return { status: fromText, source: 'diagnostic' };
  return { status: fromReport, source: 'report' };
}

function actionForStatus(status: string | undefined): string {
  switch (statusClass(status)) {
    case '2':
      return 'delivered';
    case '4':
      return 'delayed';
    default:
      return 'failed';
  }
}
