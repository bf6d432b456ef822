// The analysis, in a worker thread: parse → classify, a chunk of messages at a time (one
// hand-over each way per chunk, not per message). Before each message the worker writes
// its index and start time into memory shared with the scan, so that the scan can give up
// on a message over its time budget (terminate the worker) without stalling on it.
import { parentPort, workerData } from 'node:worker_threads';
import { analyzeMessage } from '../analyze-message.ts';
import { type AnalysisRequest, type AnalysisResult, CURRENT, STARTED } from './analysis-protocol.ts';
import { contentHash } from './content-hash.ts';

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
    const hash = contentHash(source);
    try {
      results.push({ analyzed: analyzeMessage(source, { maxBytes: req.maxBytes }), contentHash: hash });
    } catch (err) {
      // parse never should throw; if it does, this message goes to review and the chunk goes on.
      results.push({ error: (err as Error).message, contentHash: hash });
    }
  }
  if (progress) Atomics.store(progress, CURRENT, -1n);
  parentPort!.postMessage({ results });
});

// Loaded: the budget of the first message does not include loading the modules.
parentPort?.postMessage({ ready: true });
