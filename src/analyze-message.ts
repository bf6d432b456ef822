import { classify } from './classify/classify.ts';
import { parseMessage } from './parse/parse-message.ts';
import type { Analyzed } from './scan/scan.ts';

export interface AnalyzeOptions {
  readonly maxBytes?: number;
  /** Every family dialect and provider rule off (`bounced parse --generic-only`). */
  readonly genericOnly?: boolean;
}

/** parse → classify, the analysis every entry point shares. */
export function analyzeMessage(source: Buffer, options: AnalyzeOptions = {}): Analyzed {
  const parsed = parseMessage(source, options);
  return { message: parsed.message, analysis: classify(parsed, { providers: !options.genericOnly }) };
}
