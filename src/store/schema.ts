import type { ColumnType, Generated } from 'kysely';

// The database as the queries see it. Booleans are 0/1 integers and times ISO-8601 UTC
// text, so that the same queries run on SQLite and PostgreSQL.

export interface MailboxStateTable {
  /** The mailbox's name and the folder: `default/INBOX`. */
  mailbox: string;
  uidvalidity: number;
  updated_at: string;
  /** HIGHESTMODSEQ (RFC 7162) when the last complete scan ended; null while one runs. */
  highest_modseq: ColumnType<string | null, string | null | undefined, string | null>;
}

export interface ProcessedMessagesTable {
  id: Generated<number>;
  /** The mailbox's name and the folder: `default/INBOX`. */
  mailbox: string;
  uidvalidity: number;
  uid: number;
  message_id: string | null;
  content_hash: string;
  /** The message kind, or `duplicate` for a copy of a message already counted. */
  outcome: string;
  format: string | null;
  note: string | null;
  subject: string | null;
  target_folder: string;
  processed_at: string;
  moved_at: string | null;
}

export interface BounceEventsTable {
  id: Generated<number>;
  processed_message_id: number;
  address: string;
  original_recipient: string | null;
  kind: string;
  action: string;
  status: string | null;
  status_source: string | null;
  reply_code: string | null;
  reason: string;
  hard: number;
  sender_side: number;
  diagnostic: string | null;
  remote_mta: string | null;
  reporting_mta: string | null;
  original_message_id: string | null;
  arrival_date: string | null;
  /** Where the evidence is: `imap:FOLDER;UIDVALIDITY=n;UID=n` (RFC 5092 style). */
  message_ref: string;
  created_at: string;
  occurred_at: string | null;
  /** The return-path check: valid, missing, invalid, expired, mismatch; sent, unsent (sent log). */
  verp: string | null;
  /** 1: a failure ignored as forged (verp.mode or verp.sentLog enforce). */
  forged: Generated<number>;
  /** The name of the mailbox the report was read from. */
  mailbox: Generated<string>;
}

export interface SuppressionsTable {
  id: Generated<number>;
  address: string;
  source: string;
  reason: string;
  cause: string;
  status: string | null;
  reply_code: string | null;
  diagnostic: string | null;
  first_bounced_at: string;
  last_bounced_at: string;
  bounce_count: number;
  last_event_id: number | null;
  created_at: string;
  updated_at: string;
  rule: string | null;
  active: Generated<number>;
  suppressed_at: string | null;
  removed_at: string | null;
  removed_reason: string | null;
  /** The mailbox whose event caused the suppression; null when added by hand or imported. */
  mailbox: ColumnType<string | null, string | null | undefined, string | null>;
}

/** Messages the sender sent, written by the sender (the alternative to VERP). */
export interface SentMessagesTable {
  message_id: string;
  recipient: string;
  sent_at: string;
}

/** Who scans a mailbox now (one scan per mailbox and database at a time). */
export interface ScanLocksTable {
  mailbox: string;
  pid: number;
  host: string;
  acquired_at: string;
  heartbeat_at: string;
}

export interface SuppressionEvidenceTable {
  id: Generated<number>;
  suppression_id: number;
  event_id: number | null;
  added_at: string;
}

/** Every change to the list: suppressed, removed, added (by hand), imported. */
export interface SuppressionLogTable {
  id: Generated<number>;
  address: string;
  action: string;
  source: string | null;
  rule: string | null;
  cause: string | null;
  at: string;
}

export interface DigestsTable {
  id: Generated<number>;
  period_start: string;
  period_end: string;
  attempted_at: string;
  /** sent | failed | empty */
  outcome: string;
  error: string | null;
}

export interface ScanRunsTable {
  id: Generated<number>;
  started_at: string;
  finished_at: string | null;
  outcome: string;
  seen: number;
  bounces: number;
  unrecognized: number;
  moved: number;
  error: string | null;
  review_waiting: number | null;
  /** JSON: { folder, processed, review } as the server names them. */
  folders: string | null;
  mailbox: Generated<string>;
}

/** Who sends the digest that fell due at `due_at` (several replicas run the one schedule). */
export interface DigestClaimsTable {
  due_at: string;
  claimed_by: string;
  claimed_at: string;
}

export interface DatabaseSchema {
  digest_claims: DigestClaimsTable;
  mailbox_state: MailboxStateTable;
  processed_messages: ProcessedMessagesTable;
  bounce_events: BounceEventsTable;
  suppressions: SuppressionsTable;
  scan_runs: ScanRunsTable;
  suppression_evidence: SuppressionEvidenceTable;
  suppression_log: SuppressionLogTable;
  digests: DigestsTable;
  scan_locks: ScanLocksTable;
  sent_messages: SentMessagesTable;
}
