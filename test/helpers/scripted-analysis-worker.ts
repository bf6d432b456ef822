// An analysis worker for the pool's own tests: it speaks the real protocol (shared progress
// cells, one answer per chunk) and does what each message says: "stall" spins past any
// budget, "throw" fails its analysis, "crash" kills the worker; anything else is read as
// a message whose subject is its text.
import { parentPort, workerData } from 'node:worker_threads';
import {
  type AnalysisRequest,
  type AnalysisResult,
  CURRENT,
  STARTED,
} from '../../src/scan/analysis-protocol.ts';

const progress = (workerData as { progress: BigInt64Array }).progress;

parentPort!.on('message', (req: AnalysisRequest) => {
  const results: AnalysisResult[] = [];
  let start = 0;
  for (let i = 0; i < req.ends.length; i++) {
    const text = Buffer.from(req.bytes.buffer, req.bytes.byteOffset + start, req.ends[i]! - start).toString();
    start = req.ends[i]!;
    Atomics.store(progress, STARTED, BigInt(Date.now()));
    Atomics.store(progress, CURRENT, BigInt(i));
    if (text === 'stall') for (const end = Date.now() + 10_000; Date.now() < end;);
    if (text === 'crash') throw new Error('worker crashed');
    if (text === 'throw') results.push({ error: 'scripted failure', contentHash: 'h' });
    else
      results.push({
        analyzed: { message: { subject: text }, analysis: { kind: 'none', recipients: [] } },
        contentHash: 'h',
      });
  }
  Atomics.store(progress, CURRENT, -1n);
  parentPort!.postMessage({ results });
});
parentPort!.postMessage({ ready: true });
