// What the scan and its analysis workers exchange (the worker's module loads the whole
// analysis, so the scan's side imports only this).
import type { Analyzed } from './scan.ts';

export interface AnalysisRequest {
  /** The chunk's messages, one after another; `ends[i]` is where message i ends. */
  readonly bytes: Uint8Array;
  readonly ends: readonly number[];
  readonly maxBytes: number;
}

/** One message's outcome: its analysis and content hash, or why the analysis threw. */
export type AnalysisResult =
  | { readonly analyzed: Analyzed; readonly contentHash: string }
  | { readonly error: string; readonly contentHash: string };

/** The cells a worker shares with the scan: the index it is analysing (−1: none), and since when (epoch ms). */
export const CURRENT = 0;
export const STARTED = 1;
