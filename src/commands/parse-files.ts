import { readFileSync } from 'node:fs';
import type { Analysis } from '../classify/analysis.ts';
import { EXIT } from '../exit-codes.ts';
import { analyzeMessage } from '../analyze-message.ts';

export interface ParseFilesOptions {
  readonly json: boolean;
  /** Family dialects and provider rules off. */
  readonly genericOnly?: boolean;
  readonly out: (line: string) => void;
  readonly err: (line: string) => void;
}

/** `bounced parse FILE…`: analyse .eml files without a mailbox. */
export function parseFiles(files: readonly string[], options: ParseFilesOptions): number {
  let code: number = EXIT.ok;
  for (const file of files) {
    let bytes: Buffer;
    try {
      // "-" is standard input (fd 0), as in cat and jq: `curl … | bounced parse -`.
      bytes = readFileSync(file === '-' ? 0 : file);
    } catch (err) {
      options.err(`bounced: cannot read ${file}: ${(err as NodeJS.ErrnoException).code ?? String(err)}`);
      code = EXIT.noInput;
      continue;
    }
    const { analysis } = analyzeMessage(bytes, { genericOnly: options.genericOnly });
    options.out(options.json ? JSON.stringify(toJson(file, analysis)) : toText(file, analysis));
  }
  return code;
}

function toJson(file: string, a: Analysis) {
  return {
    file,
    kind: a.kind,
    format: a.format ?? null,
    note: a.note ?? null,
    reportingMta: a.reportingMta ?? null,
    originalMessageId: a.originalMessageId ?? null,
    recipients: a.recipients.map((r) => ({
      address: r.address,
      action: r.action,
      status: r.status ?? null,
      statusSource: r.statusSource ?? null,
      replyCode: r.replyCode ?? null,
      reason: r.reason,
      hard: r.hard,
      senderSide: r.senderSide,
      diagnostic: r.diagnostic ?? null,
      remoteMta: r.remoteMta ?? null,
    })),
  };
}

function toText(file: string, a: Analysis): string {
  const head = `${file}: ${a.kind}${a.format ? ` (${a.format})` : ''}${a.note ? ` - ${a.note}` : ''}`;
  const lines = a.recipients.map(
    (r) =>
      `  ${r.address}  ${r.action}  ${r.status ?? '-'}  ${r.reason}${r.hard ? '  HARD' : ''}${r.senderSide ? '  sender-side' : ''}`,
  );
  return [head, ...lines].join('\n');
}
