import type { MessageView } from './message-view.ts';

/** Headers of the message that bounced, from the returned copy (RFC 3462 §2). */
export interface OriginalMessage {
  readonly messageId?: string;
  readonly from?: string;
  readonly to?: string;
  readonly subject?: string;
  /** The returned message's Return-Path: the envelope sender it was sent with. */
  readonly returnPath?: string;
}

/** One recipient as the report states it. Nothing here is judged: that is the classifier's work. */
export interface ReportRecipient {
  /** Normalised address (lower case, no brackets, readable IDN). */
  readonly address: string;
  readonly originalRecipient?: string;
  /** RFC 3464 §2.3.3: failed, delayed, delivered, relayed, expanded. */
  readonly action?: string;
  /** The Status field (RFC 3464 §2.3.4), as found. */
  readonly status?: string;
  /** The Diagnostic-Code type (usually "smtp") and its text, white space folded. */
  readonly diagnosticType?: string;
  readonly diagnostic?: string;
  readonly remoteMta?: string;
  readonly lastAttemptDate?: string;
  /** The SMTP command the failure answered (RCPT, DATA …), when the report says so. */
  readonly command?: string;
  /**
   * A reason the sending server's own wording states outright (a dialect knows that
   * qmail's "Sorry, no mailbox here by that name" means userunknown). A hint for the
   * classifier, named in the classifier's vocabulary; the classifier decides.
   */
  readonly reason?: string;
  /**
   * Everything else the report says about this recipient: its lines in the human-readable
   * part and the session transcript. The classifier reads it when the diagnostic alone
   * names no reason (a DSN without a Diagnostic-Code whose text says
   * "mail.local: unknown user"). A function: it is worked out only if asked for.
   */
  readonly evidence?: () => string | undefined;
}

/** What the parse stage read from a message that is a report of some kind. */
export interface Report {
  /** What the message is: a delivery report, a spam complaint or an automatic reply. */
  readonly type: 'delivery-status' | 'feedback' | 'autoreply';
  /** ARF Feedback-Type (RFC 5965 §3.1): abuse, fraud, virus, auth-failure … */
  readonly feedbackType?: string;
  /** Which parser read it: rfc3464, or a dialect's name. */
  readonly format: string;
  readonly reportingMta?: string;
  readonly arrivalDate?: string;
  readonly recipients: readonly ReportRecipient[];
  readonly original: OriginalMessage;
  /** A bound was hit and recipients after the last complete one were not read: why. */
  readonly truncated?: string;
}

/** The message's own identity, for the store and the logs. */
export interface MessageInfo {
  readonly messageId?: string;
  readonly subject?: string;
  readonly from?: string;
  readonly date?: string;
  /**
   * The addresses the report was sent back to (its To, Delivered-To and X-Original-To): a
   * signed VERP return path is one of them.
   */
  readonly sentTo?: readonly string[];
}

export type ParseResult =
  | { readonly ok: true; readonly message: MessageInfo; readonly report: Report }
  | { readonly ok: false; readonly message: MessageInfo; readonly reason: string };

/** The shape every report parser has: "not my format" is undefined. */
export type ReportParser = (view: MessageView) => Report | undefined;
