import type { Generated } from 'kysely';

// The database as the queries see it. Booleans are 0/1 integers and times ISO-8601 UTC
// text, so that the same queries run on SQLite and PostgreSQL.

export interface MailboxStateTable {
  mailbox: string;
  uidvalidity: number;
  updated_at: string;
}

export interface ProcessedMessagesTable {
  id: Generated<number>;
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
}

export interface DatabaseSchema {
  mailbox_state: MailboxStateTable;
  processed_messages: ProcessedMessagesTable;
  bounce_events: BounceEventsTable;
  suppressions: SuppressionsTable;
  scan_runs: ScanRunsTable;
}
