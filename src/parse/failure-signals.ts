import {
  FAILURE_PHRASES,
  FAILURE_SUBJECTS,
  SYSTEM_SENDER_LOCAL_PARTS,
  SYSTEM_SENDER_NAMES,
} from './failure-vocabulary.ts';
import type { MessageView } from './message-view.ts';

/** What in a message's headers and text says "this is a delivery-failure notice". */
export interface FailureSignals {
  /** From MAILER-DAEMON, postmaster, "Mail Delivery System" and the like. */
  readonly systemSender: boolean;
  /** Return-Path: <> (RFC 5321 §4.5.5: notices are sent with a null reverse-path). */
  readonly nullReturnPath: boolean;
  /** multipart/report; report-type=delivery-status, or a message/delivery-status part. */
  readonly deliveryReport: boolean;
  /** X-Failed-Recipients (Exim and its descendants name the failed addresses there). */
  readonly failedRecipientsHeader: boolean;
  /** The subject says a delivery failed (or is late), in one of the common languages. */
  readonly subject: boolean;
  /** The notice's own text says a message was not delivered. */
  readonly body: boolean;
  /** A person's reply or forward ("Re:", "Fwd:", "AW:", "TR:" …), not the mail system's notice. */
  readonly replyOrForward: boolean;
}

const cache = new WeakMap<MessageView, FailureSignals>();

export function failureSignals(view: MessageView): FailureSignals {
  const cached = cache.get(view);
  if (cached) return cached;
  const h = view.headers;
  const subject = view.subject.toLowerCase();
  const reportType = view.entity.contentType.params['report-type']?.toLowerCase();
  let body: boolean | undefined;
  const signals: FailureSignals = {
    systemSender: isSystemSender(view.from),
    nullReturnPath: /^\s*<\s*>\s*$/.test(h.get('return-path') ?? ''),
    deliveryReport:
      reportType === 'delivery-status' ||
      view.entity.parts.some((p) => p.contentType.mimeType.endsWith('delivery-status')),
    failedRecipientsHeader: h.has('x-failed-recipients'),
    subject: FAILURE_SUBJECTS.some((s) => subject.includes(s)),
    // Read only when asked: most messages are settled by their headers.
    get body() {
      return (body ??= containsAny(view.text.slice(0, 16 * 1024).toLowerCase(), FAILURE_PHRASES));
    },
    replyOrForward: /^\s*(re|fwd?|aw|wg|tr|rv|sv|vs|antw|odp|r)\s*(\[\d+\])?\s*:/i.test(view.subject),
  };
  cache.set(view, signals);
  return signals;
}

/**
 * The message reads as a failure notice: a delivery report, or the mail system's own
 * sender together with failure wording. Such a message is never an automatic reply, even
 * when it carries Auto-Submitted or a vacation-like subject.
 */
export function readsAsFailure(view: MessageView): boolean {
  const s = failureSignals(view);
  if (s.deliveryReport || s.failedRecipientsHeader) return true;
  return (s.systemSender || s.nullReturnPath) && (s.subject || s.body);
}

/** "MAILER-DAEMON@mx.example.com", "Mail Delivery System <…>", "postmaster@…". */
export function isSystemSender(from: string): boolean {
  const lower = from.toLowerCase();
  const address = /<([^<>]*)>/.exec(lower)?.[1] ?? lower.trim();
  const at = address.lastIndexOf('@');
  const local = (at === -1 ? address : address.slice(0, at)).trim();
  if (SYSTEM_SENDER_LOCAL_PARTS.includes(local) || local.startsWith('microsoftexchange')) return true;
  const name = lower.replace(/<[^<>]*>/g, '').replace(/"/g, '');
  return SYSTEM_SENDER_NAMES.some((n) => name.includes(n));
}

export function containsAny(text: string, phrases: readonly string[]): boolean {
  return phrases.some((p) => text.includes(p));
}
