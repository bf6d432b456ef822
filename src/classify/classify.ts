import type { ParseResult, ReportRecipient } from '../parse/report.ts';
import type { Analysis, MessageKind, RecipientVerdict, StatusSource } from './analysis.ts';
import type { Fact } from './fact.ts';
import { hostIn } from './host-in.ts';
import { findReason, isHard } from './find-reason.ts';
import { inferStatus } from './inferred-status.ts';
import { REASONS } from './reasons/index.ts';
import {
  findCommand,
  findReplyCode,
  findStatus,
  preferStatus,
  statusClass,
  unwrapMultiline,
} from './status-code.ts';

export interface ClassifyOptions {
  /** Provider rules on (the default); `--generic-only` turns them off. */
  readonly providers?: boolean;
}

/** The classify stage: what the parse stage read → kind, and a verdict per recipient. */
export function classify(result: ParseResult, options: ClassifyOptions = {}): Analysis {
  if (!result.ok) return { kind: 'none', note: result.reason, recipients: [] };
  const { report } = result;
  if (report.type !== 'delivery-status') {
    // A complaint or an automatic reply: never a failure, whatever its text says.
    const complaint = report.type === 'feedback';
    const feedback = complaint ? feedbackVerdict(report.feedbackType) : undefined;
    return {
      kind: complaint ? 'complaint' : 'autoreply',
      format: report.format,
      feedbackType: complaint ? (report.feedbackType ?? 'abuse') : undefined,
      reportingMta: report.reportingMta,
      arrivalDate: report.arrivalDate,
      originalMessageId: report.original.messageId,
      recipients: report.recipients.map((r) => ({
        address: r.address,
        action: r.action ?? (complaint ? 'complained' : 'autoreplied'),
        // A complaint's diagnostic is its feedback type, or what an auth-failure, fraud or
        // virus report says failed (the parser puts that on the recipient).
        diagnostic: complaint ? (r.diagnostic ?? report.feedbackType) : r.diagnostic,
        reason: feedback?.reason ?? 'vacation',
        hard: false,
        senderSide: feedback?.senderSide ?? false,
      })),
    };
  }
  const providers = options.providers ?? true;
  const recipients = report.recipients.map((r) => judge(r, report.reportingMta, providers));
  return {
    kind: kindOf(recipients),
    format: report.format,
    note: report.truncated ?? (recipients.length === 0 ? 'report names no recipient' : undefined),
    truncated: report.truncated ? true : undefined,
    reportingMta: report.reportingMta,
    arrivalDate: report.arrivalDate,
    originalMessageId: report.original.messageId,
    originalReturnPath: report.original.returnPath,
    recipients,
  };
}

/**
 * ARF feedback types (RFC 5965 §7.3, RFC 6591): abuse is the recipient's complaint;
 * auth-failure, fraud and virus are findings about our sending (sender-side evidence);
 * not-spam and other are recorded as they are. Whether any of them suppresses is the
 * policy's decision.
 */
function feedbackVerdict(type: string | undefined): { reason: string; senderSide: boolean } {
  switch (type) {
    case 'auth-failure':
      return { reason: 'authfailure', senderSide: true };
    case 'fraud':
      return { reason: 'securityerror', senderSide: true };
    case 'virus':
      return { reason: 'virusdetected', senderSide: true };
    default:
      return { reason: 'feedback', senderSide: false };
  }
}

function kindOf(recipients: readonly RecipientVerdict[]): MessageKind {
  const actions = new Set(recipients.map((r) => r.action));
  if (actions.has('failed')) return 'bounce';
  if (actions.has('delayed')) return 'delayed';
  if (actions.has('delivered') || actions.has('relayed') || actions.has('expanded')) return 'delivered';
  return 'none';
}

function judge(r: ReportRecipient, reportingMta: string | undefined, providers: boolean): RecipientVerdict {
  const anyStatus = findStatus(r.diagnostic);
  const diagnostic = r.diagnostic
    ? unwrapMultiline(r.diagnostic, findReplyCode(r.diagnostic), anyStatus)
    : undefined;
  const field = findStatus(r.status);
  const inText = findStatus(diagnostic);
  const anyReply = findReplyCode(diagnostic);
  let status = preferStatus(field, inText, anyReply);
  let source: StatusSource | undefined = status ? (status === field ? 'report' : 'diagnostic') : undefined;
  const replyCode = findReplyCode(diagnostic, statusClass(status)) ?? (status ? undefined : anyReply);
  const action = normalAction(r.action, status ?? replyCode);
  const fact: Fact = {
    status,
    text: (diagnostic ?? '').toLowerCase(),
    replyCode,
    command: r.command ?? findCommand(diagnostic),
    action,
    reason: r.reason,
    diagnosticType: r.diagnosticType,
    destination: r.address.slice(r.address.lastIndexOf('@') + 1),
    remoteHost: r.remoteMta ?? hostIn(diagnostic),
    localHost: reportingMta,
    original: diagnostic,
  };
  const reason =
    action === 'delivered' || action === 'relayed' || action === 'expanded'
      ? 'delivered'
      : reasonFromAllEvidence(fact, () => r.evidence?.(), providers);
  if (!status) {
    status = inferStatus(reason, action === 'delayed' || replyCode?.[0] === '4');
    if (status) source = 'inferred';
  }
  const failed = action === 'failed';
  return {
    address: r.address,
    originalRecipient: r.originalRecipient,
    action,
    status,
    statusSource: source,
    replyCode,
    diagnostic,
    remoteMta: r.remoteMta,
    reason,
    hard: failed && isHard(reason, status, replyCode, fact.text),
    senderSide: failed && (REASONS.get(reason)?.senderSide ?? false),
  };
}

/** Reasons that say little on their own: the report's other lines may say why. */
const WEAK = new Set(['onhold', 'undefined', 'expired', 'systemerror']);

/**
 * The diagnostic first; when it names no reason, or only a weak one, everything else the
 * report says about the recipient (its transcript lines, the human-readable part). The
 * status code's own meaning stays the last step before onhold (find-reason.ts).
 */
function reasonFromAllEvidence(fact: Fact, evidenceOf: () => string | undefined, providers: boolean): string {
  const reason = findReason(fact, providers);
  if (!WEAK.has(reason)) return reason;
  const evidence = evidenceOf();
  if (!evidence) return reason;
  const text = `${fact.original ?? ''} ${evidence}`;
  const wider = findReason(
    { ...fact, text: text.toLowerCase(), original: text, command: fact.command ?? findCommand(evidence) },
    providers,
  );
  return wider === 'onhold' || wider === 'undefined' ? reason : wider;
}

/** RFC 3464 §2.3.3 actions; a missing one is read from the status class. */
function normalAction(action: string | undefined, code: string | undefined): string {
  if (
    action === 'failed' ||
    action === 'delayed' ||
    action === 'delivered' ||
    action === 'relayed' ||
    action === 'expanded'
  ) {
    return action;
  }
  if (action === 'expired') return 'failed';
  switch (code?.[0]) {
    case '2':
      return 'delivered';
    case '4':
      return action ? 'delayed' : 'failed';
    default:
      return 'failed';
  }
}
