/** The one kind every message gets (see README, "Message kinds"). */
export type MessageKind = 'bounce' | 'delayed' | 'delivered' | 'autoreply' | 'complaint' | 'none';

/** Where a recipient's status code came from. */
export type StatusSource = 'report' | 'diagnostic' | 'inferred';

/** One recipient, judged. */
export interface RecipientVerdict {
  readonly address: string;
  readonly originalRecipient?: string;
  readonly action: string;
  /** RFC 3463 enhanced status code, class.subject.detail. */
  readonly status?: string;
  readonly statusSource?: StatusSource;
  /** SMTP reply code (RFC 5321 §4.2). */
  readonly replyCode?: string;
  readonly diagnostic?: string;
  readonly remoteMta?: string;
  /** A reason from the Sisimai v5 vocabulary. */
  readonly reason: string;
  /** The address will never accept mail: suppress it. */
  readonly hard: boolean;
  /** The fault is the sender's (authentication, reputation, policy): never suppress for it. */
  readonly senderSide: boolean;
}

/** What the classify stage makes of one message. */
export interface Analysis {
  readonly kind: MessageKind;
  /** Which parser read it (rfc3464, a dialect), when one did. */
  readonly format?: string;
  /** A complaint's ARF Feedback-Type (RFC 5965 §3.1): abuse, not-spam, auth-failure … */
  readonly feedbackType?: string;
  /** Why a message is `none`, or which bound cut the report short. */
  readonly note?: string;
  /** The report was cut by a bound: recipients after the last complete one were not read. */
  readonly truncated?: boolean;
  readonly reportingMta?: string;
  readonly arrivalDate?: string;
  readonly originalMessageId?: string;
  /** The returned message's Return-Path, for the VERP check. */
  readonly originalReturnPath?: string;
  readonly recipients: readonly RecipientVerdict[];
}
