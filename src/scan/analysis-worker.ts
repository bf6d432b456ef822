// The analysis, in a worker thread: parse → classify for one message at a time, so that the
// scan can give up on a message that takes longer than its budget (terminate the worker)
// without stalling on it.
import { parentPort } from 'node:worker_threads';
import { analyzeMessage } from '../analyze-message.ts';

export interface AnalysisRequest {
  readonly source: Uint8Array;
  readonly maxBytes: number;
}

parentPort?.on('message', (req: AnalysisRequest) => {
  const source = Buffer.from(req.source.buffer, req.source.byteOffset, req.source.byteLength);
  parentPort!.postMessage({ analyzed: analyzeMessage(source, { maxBytes: req.maxBytes }) });
});

// Loaded: the budget of the first message does not include loading the modules.
parentPort?.postMessage({ ready: true });
