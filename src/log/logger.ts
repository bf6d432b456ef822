import { type Logger, pino } from 'pino';
import { createRequire } from 'node:module';
import type pretty from 'pino-pretty';

// pino-pretty is loaded only for a terminal: off one (a container, a pipe), it is never used.
const require = createRequire(import.meta.url);

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
    const prettyStream = require('pino-pretty') as typeof pretty;
    return pino(
      base,
      prettyStream({ destination: 2, sync: true, translateTime: 'SYS:standard', ignore: 'pid,hostname' }),
    );
  }
  return pino(base, destination);
}
