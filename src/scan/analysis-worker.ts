// The analysis, in a worker thread: parse → classify, a chunk of messages at a time (one
// hand-over each way per chunk, not per message). Before each message the worker writes
// its index and start time into memory shared with the scan, so that the scan can give up
// on a message over its time budget (terminate the worker) without stalling on it.
import * as crypto from 'node:crypto';
import { parentPort, workerData } from 'node:worker_threads';
import { analyzeMessage } from '../analyze-message.ts';
import { type AnalysisRequest, type AnalysisResult, CURRENT, STARTED } from './analysis-protocol.ts';

// crypto.hash (Node 20.12+) hashes in one call, without a Hash object per message: 10,000
// messages hashed in ~40 ms instead of ~45–60. Older Node 20 releases take the stream API
// (a namespace import: a named import of a missing export would not even load there).
const sha256: (b: Buffer) => string =
  typeof crypto.hash === 'function'
    ? (b) => crypto.hash('sha256', b, 'hex')
    : (b) => crypto.createHash('sha256').update(b).digest('hex');

const progress = (workerData as { progress?: BigInt64Array } | undefined)?.progress;

parentPort?.on('message', (req: AnalysisRequest) => {
  const results: AnalysisResult[] = [];
  let start = 0;
  for (let i = 0; i < req.ends.length; i++) {
    const end = req.ends[i]!;
    const source = Buffer.from(req.bytes.buffer, req.bytes.byteOffset + start, end - start);
    start = end;
    if (progress) {
      Atomics.store(progress, STARTED, BigInt(Date.now()));
      Atomics.store(progress, CURRENT, BigInt(i));
    }
    const contentHash = sha256(source);
    try {
      results.push({ analyzed: analyzeMessage(source, { maxBytes: req.maxBytes }), contentHash });
    } catch (err) {
      // parse never should throw; if it does, this message goes to review and the chunk goes on.
      results.push({ error: (err as Error).message, contentHash });
    }
  }
  if (progress) Atomics.store(progress, CURRENT, -1n);
  parentPort!.postMessage({ results });
});

// Loaded: the budget of the first message does not include loading the modules.
parentPort?.postMessage({ ready: true });
