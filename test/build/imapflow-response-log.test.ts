import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { guardResponseLog, IMAPFLOW_FILE, IMAPFLOW_LOG } from '../../scripts/imapflow-response-log.mjs';

const GUARD = 'if (this.options.logger !== false || this.emitLogs) {';

/** The ES module build of the installed imapflow, the file the bundle takes. */
function installedImapflow(): string {
  const main = createRequire(import.meta.url).resolve('imapflow'); // dist/cjs/imap-flow.js
  return join(dirname(main), '..', 'esm', 'imap-flow.js');
}

describe('the bundle skips imapflow response log lines nothing receives', () => {
  it('guards the installed imapflow once and changes nothing else', () => {
    const path = installedImapflow();
    expect(path).toMatch(IMAPFLOW_FILE);
    const original = readFileSync(path, 'utf8');
    const guarded = guardResponseLog(original, path);
    expect(guarded.split(GUARD)).toHaveLength(2);
    // Take out the guard's opening line and its closing brace after the statement: imapflow's
    // code again, byte for byte.
    const lines = guarded.split('\n');
    const open = lines.findIndex((l) => l.includes(GUARD));
    const statementLines = IMAPFLOW_LOG.split('\n').length - 1;
    expect(lines.slice(open + 1, open + 1 + statementLines).join('\n') + '\n').toBe(IMAPFLOW_LOG);
    expect(lines[open + 1 + statementLines]).toBe('        }');
    lines.splice(open + 1 + statementLines, 1);
    lines.splice(open, 1);
    expect(lines.join('\n')).toBe(original);
  });

  it('is in the built bundle (npm run build)', () => {
    const dir = join('dist', 'bundle');
    const chunk = readdirSync(dir).find((f) => /^imap-flow-.*\.js$/.test(f));
    expect(chunk).toBeDefined();
    expect(readFileSync(join(dir, chunk!), 'utf8')).toContain(GUARD);
  });

  it('fails the build, naming the file, when imapflow changed that code', () => {
    const path = installedImapflow();
    const original = readFileSync(path, 'utf8');
    const changed = original.replace(IMAPFLOW_LOG, IMAPFLOW_LOG.replace('too many FETCH', 'many FETCH'));
    expect(changed).not.toBe(original);
    expect(() => guardResponseLog(changed, path)).toThrow(
      `${path}: the response log that scripts/imapflow-response-log.mjs skips is not there once`,
    );
    // Twice is as wrong as never.
    expect(() => guardResponseLog(original + IMAPFLOW_LOG, path)).toThrow('is not there once');
  });
});
