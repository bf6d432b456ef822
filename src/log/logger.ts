import { type Logger, pino } from 'pino';
import pretty from 'pino-pretty';

export type { Logger };

/** Paths pino censors wherever they appear in a log line. */
export const REDACT_PATHS = [
  'password',
  'accessToken',
  'pass',
  '*.password',
  '*.accessToken',
  '*.pass',
  '*.*.password',
  '*.*.accessToken',
  'auth.pass',
  // The HTTP API's bearer token, and a request's Authorization header should one be logged.
  'token',
  '*.token',
  'authorization',
  'req.headers.authorization',
];

export interface LoggerOptions {
  readonly level: string;
  /** Human-readable lines; the default when stderr is a terminal. */
  readonly pretty?: boolean;
  readonly destination?: NodeJS.WritableStream;
}

/**
 * Logs go to stderr, so that commands which print data (`parse --json`, `suppressions list`)
 * keep stdout clean. JSON unless stderr is a terminal.
 */
export function createLogger(options: LoggerOptions): Logger {
  const destination = options.destination ?? process.stderr;
  const usePretty = options.pretty ?? Boolean(process.stderr.isTTY && !options.destination);
  const base = { level: options.level, redact: { paths: REDACT_PATHS, censor: '[redacted]' } };
  if (usePretty) {
    return pino(
      base,
      pretty({ destination: 2, sync: true, translateTime: 'SYS:standard', ignore: 'pid,hostname' }),
    );
  }
  return pino(base, destination);
}
