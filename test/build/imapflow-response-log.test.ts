import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { guardResponseLog, IMAPFLOW_FILE, IMAPFLOW_LOG } from '../../scripts/imapflow-response-log.mjs';
import { bundledImapflow, installedImapflowFile } from '../helpers/imapflow-files.ts';

const GUARD = 'if (this.options.logger !== false || this.emitLogs) {';
const installedImapflow = () => installedImapflowFile('imap-flow.js');

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
    expect(bundledImapflow()).toContain(GUARD);
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
