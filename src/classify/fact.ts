/** What the classifier knows about one failed recipient while it decides the reason. */
export interface Fact {
  /** RFC 3463 status, already chosen between the report field and the diagnostic. */
  readonly status?: string;
  /** The diagnostic text, lower-cased, white space folded. */
  readonly text: string;
  readonly replyCode?: string;
  /** SMTP command the failure answered: CONN, EHLO, HELO, MAIL, RCPT, DATA, STARTTLS … */
  readonly command?: string;
  readonly action?: string;
  /** A reason the dialect parser already knows (e.g. qmail's "mailbox full" phrasing). */
  readonly reason?: string;
  /** Diagnostic-Code type: "smtp", "x-unix", "x-postfix" … */
  readonly diagnosticType?: string;
  /** The recipient's domain, the server that answered, and the server that reported. */
  readonly destination?: string;
  readonly remoteHost?: string;
  readonly localHost?: string;
  /** The diagnostic as written, for case-sensitive codes ("AUP#CXBL", "IB506"). */
  readonly original?: string;
}

/** Commands sent before DATA: a rejection there cannot be about the content. */
export const BEFORE_DATA = new Set(['CONN', 'EHLO', 'HELO', 'MAIL', 'RCPT']);
