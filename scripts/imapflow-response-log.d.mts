// Types of imapflow-response-log.mjs, for the test that imports it.
import type { Plugin } from 'esbuild';

export const IMAPFLOW_FILE: RegExp;
/** The statement guarded, as imapflow 2.1.2 has it. */
export const IMAPFLOW_LOG: string;
export function guardResponseLog(text: string, path: string): string;
export const skipUnusedResponseLog: Plugin;
