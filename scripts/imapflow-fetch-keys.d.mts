// Types of imapflow-fetch-keys.mjs, for the test that imports it.
import type { Plugin } from 'esbuild';

export const IMAPFLOW_TOOLS: RegExp;
/** The key's compile, as imapflow 2.1.2 has it. */
export const FETCH_KEY: string;
/** The condition under which the bundle names an attribute directly (JavaScript source). */
export const PLAIN_ATOM: string;
export const SHORTCUT: string;
export function nameAtomsDirectly(text: string, path: string): string;
export const nameFetchAtomsDirectly: Plugin;
