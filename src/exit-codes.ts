/** Exit codes (sysexits.h values where one fits). Documented in the README. */
export const EXIT = {
  ok: 0,
  /** A scan or a digest ran but something in it failed; see the log. */
  failed: 1,
  usage: 64,
  /** An input file is not what the command reads: `import` of a file that is mostly not addresses. */
  dataErr: 65,
  /** An input file could not be read (`parse`, `import`), or a read-only command found no database. */
  noInput: 66,
  /** The IMAP or SMTP server could not be reached or refused the login. */
  unavailable: 69,
  software: 70,
  /** An output file cannot be created (`export --output`, `digest --output`). */
  cantCreate: 73,
  /** Another scan of the same mailbox holds the lock (EX_TEMPFAIL): try again later. */
  tempfail: 75,
  /** The database could not be opened or migrated. */
  database: 74,
  config: 78,
} as const;
