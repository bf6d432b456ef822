import type { EventClass, Suppression } from '../policy/policy.ts';

// What the scan hands the store: plain values, no vendor types.

export interface EventRecord {
  readonly address: string;
  readonly originalRecipient?: string;
  readonly kind: string;
  readonly action: string;
  readonly status?: string;
  readonly statusSource?: string;
  readonly replyCode?: string;
  readonly reason: string;
  readonly hard: boolean;
  readonly senderSide: boolean;
  readonly diagnostic?: string;
  readonly remoteMta?: string;
  readonly reportingMta?: string;
  readonly originalMessageId?: string;
  readonly arrivalDate?: string;
  /** When the failure happened: the report's Date, else when it was read. ISO 8601. */
  readonly occurredAt?: string;
  /** The policy's reading of the event. */
  readonly policyClass: EventClass;
  /** The return-path check of a failure, when one ran. */
  readonly verp?: string;
  /** A failure ignored as forged: recorded as evidence, never suppresses or counts. */
  readonly forged?: boolean;
  /** The event suppresses its address at once (policy's decision), with the cause in words. */
  readonly suppress?: Suppression & { readonly cause: string };
}

export interface MessageRecord {
  readonly mailbox: string;
  readonly uidValidity: number;
  readonly uid: number;
  readonly messageId?: string;
  readonly contentHash: string;
  /** The message kind, or `duplicate`. */
  readonly outcome: string;
  readonly format?: string;
  readonly note?: string;
  readonly subject?: string;
  readonly targetFolder: string;
  readonly events: readonly EventRecord[];
}

export interface SuppressionRow {
  readonly address: string;
  readonly source: string;
  readonly reason: string;
  readonly cause: string;
  readonly rule: string | null;
  readonly status: string | null;
  readonly replyCode: string | null;
  readonly diagnostic: string | null;
  readonly firstBouncedAt: string;
  readonly lastBouncedAt: string;
  readonly bounceCount: number;
  readonly active: boolean;
  readonly suppressedAt: string | null;
  readonly removedAt: string | null;
  /** The mailbox whose report caused it; null when added by hand or imported. */
  readonly mailbox: string | null;
}

/** RFC 5092-style reference to the message that is the evidence. */
export function messageRef(mailbox: string, uidValidity: number, uid: number): string {
  return `imap:${mailbox};UIDVALIDITY=${uidValidity};UID=${uid}`;
}
