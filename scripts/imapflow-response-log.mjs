import { sourcePatchPlugin } from './source-patch-plugin.mjs';

// Used by scripts/bundle.mjs.
//
// imapflow re-encodes every server response for its debug log (`compiler(parsed, { isLogging:
// true })` in handleResponse) before it asks whether anything logs. With `logger: false`, as
// bounced connects (src/mailbox/imap-mailbox.ts), and no `emitLogs`, its own logger drops
// the line: the work is thrown away. At 10,000 messages that was ~0.3 CPU s on the main thread
// plus TurboFan's compiles of the encoder (~0.4 s on V8's threads). The bundle puts that
// logger's own test first, so the line is built only when it goes somewhere; with logging
// on, it is the same line. A new imapflow whose code differs fails the build here, to be
// looked at again (and the plugin can go once imapflow checks first itself).
export const IMAPFLOW_FILE = /[\\/]imapflow[\\/]dist[\\/]esm[\\/]imap-flow\.js$/;

export const IMAPFLOW_LOG = `        let logCompiled = await compiler(parsed, {
            isLogging: true
        });
        if (/^\\d+$/.test(parsed.command || '') && parsed.attributes && parsed.attributes[0] && parsed.attributes[0].value === 'FETCH') {
            // too many FETCH responses, might want to filter these out
            this.log.trace({ src: 's', msg: logCompiled.toString(), cid: this.id, nullBytesRemoved: parsed.nullBytesRemoved });
        }
        else {
            this.log.debug({ src: 's', msg: logCompiled.toString(), cid: this.id, nullBytesRemoved: parsed.nullBytesRemoved });
        }
`;
/**
 * imapflow's source with its response log guarded; throws, naming the file, when the
 * statement is not there exactly once.
 */
export function guardResponseLog(text, path) {
  const parts = text.split(IMAPFLOW_LOG);
  if (parts.length !== 2)
    throw new Error(
      `${path}: the response log that scripts/imapflow-response-log.mjs skips is not there once`,
    );
  // imapflow's getLogger() sends nothing anywhere unless one of these holds.
  const guarded = `        if (this.options.logger !== false || this.emitLogs) {\n${IMAPFLOW_LOG}        }\n`;
  return parts.join(guarded);
}

/** The esbuild plugin: imapflow's ES module build, guarded. */
export const skipUnusedResponseLog = sourcePatchPlugin(
  'skip-unused-response-log',
  IMAPFLOW_FILE,
  guardResponseLog,
);
