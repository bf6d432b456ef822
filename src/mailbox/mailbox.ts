// The mailbox boundary: what the scan needs from a mail store, and nothing of imapflow.

export interface FetchedMessage {
  readonly uid: number;
  /** The message bytes, or their first `maxBytes` when the message is larger. */
  readonly source: Buffer;
}

/** A folder opened for a scan. */
export interface MailboxFolder {
  /** The configured name (the database's key for the folder). */
  readonly path: string;
  /** Its full name on the server, when that differs (see MailboxSession.ensureFolder). */
  readonly fullPath?: string;
  /** RFC 3501 §2.3.1.1: when it changes, every UID seen before is meaningless. */
  readonly uidValidity: number;
  /**
   * HIGHESTMODSEQ at SELECT (RFC 7162 CONDSTORE), as a decimal string; undefined when the
   * server has no CONDSTORE. Any new message, flag change or expunge raises it.
   */
  readonly highestModseq?: string;
  /**
   * The folder's HIGHESTMODSEQ now (STATUS), after the scan's own moves; undefined without
   * CONDSTORE, or when a message arrived since SELECT (its UIDNEXT moved on), since then the
   * number covers a message the scan has not read.
   */
  currentModseq(): Promise<string | undefined>;
  /** UIDs of the messages in the folder, ascending, not counting ones flagged \Deleted. */
  listUids(): Promise<number[]>;
  /** Fetches the sources of these UIDs. Completes before any other command is sent. */
  fetch(uids: readonly number[], maxBytes: number): Promise<FetchedMessage[]>;
  /**
   * Moves these UIDs to another folder: MOVE (RFC 6851), or, without it, COPY then
   * \Deleted then UID EXPUNGE (RFC 4315) of exactly those UIDs. Nothing is deleted that
   * was not copied first.
   */
  move(uids: readonly number[], target: string): Promise<void>;
}

export interface MailboxSession {
  /**
   * Creates the folder when it does not exist; resolves to its full name on the server (in
   * the personal namespace: `Processed` may be `INBOX.Processed`). Every other method takes
   * the configured name and resolves it the same way.
   */
  ensureFolder(path: string): Promise<string>;
  open(path: string): Promise<MailboxFolder>;
  /** How many messages a folder holds (IMAP STATUS), without opening it. */
  count(path: string): Promise<number>;
  close(): Promise<void>;
}

export interface WatchOptions {
  /** IDLE is ended and begun again this often (RFC 2177 §3: before the server's 30 minutes). */
  readonly refreshMs: number;
  /** Messages arrived in the folder (an EXISTS that grew it). */
  readonly onNewMail: () => void;
}

/** A connection that waits in IDLE for new mail in one folder. */
export interface MailboxWatch {
  /** Resolves when the connection ends: closed by us, or lost (with why). */
  readonly ended: Promise<{ readonly closedByUs: boolean; readonly reason: string }>;
  close(): Promise<void>;
}

export interface Mailbox {
  connect(): Promise<MailboxSession>;
  /** Watches a folder for new mail; `unsupported` (with why) when the server has no IDLE. */
  watch?(folder: string, options: WatchOptions): Promise<MailboxWatch | { readonly unsupported: string }>;
}

export type MailboxErrorCode = 'EAUTH' | 'ECONNECT' | 'ETLS' | 'ENOSTARTTLS' | 'EPROTOCOL' | 'EFOLDER';

export class MailboxError extends Error {
  constructor(
    readonly code: MailboxErrorCode,
    message: string,
    options?: ErrorOptions,
  ) {
    super(message, options);
    this.name = 'MailboxError';
  }
}
