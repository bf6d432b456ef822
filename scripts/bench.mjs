// `npm run bench`: parse + classify throughput over the corpus, in one process, excluding
// start-up and file reading; then a 20 MB message; then the peak RSS. Prints figures; it
// asserts nothing (speed and memory targets are read, not tested).
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { analyzeMessage } from '../dist/src/analyze-message.js';

const corpus = process.argv[2] ?? '../shared/corpus/emails';
const files = [];
const walk = (dir) => {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) walk(path);
    else files.push(readFileSync(path));
  }
};
walk(corpus);
const bytes = files.reduce((n, b) => n + b.length, 0);

for (let i = 0; i < 3; i++) for (const f of files) analyzeMessage(f); // warm up the JIT

const seconds = Number(process.env.BENCH_SECONDS ?? 5);
let messages = 0;
const started = process.hrtime.bigint();
const deadline = started + BigInt(seconds * 1e9);
while (process.hrtime.bigint() < deadline) {
  for (const f of files) analyzeMessage(f);
  messages += files.length;
}
const elapsed = Number(process.hrtime.bigint() - started) / 1e9;

const dsn = files.find((f) => f.includes('message/delivery-status')) ?? files[0];
const huge = Buffer.concat([dsn, Buffer.alloc(20 * 1024 * 1024, 'A')]);
const t0 = process.hrtime.bigint();
const hugeResult = analyzeMessage(huge);
const hugeMs = Number(process.hrtime.bigint() - t0) / 1e6;

const rssMiB = process.resourceUsage().maxRSS / 1024;
console.log(`corpus: ${files.length} messages, ${(bytes / 1024 / 1024).toFixed(1)} MiB (${corpus})`);
console.log(
  `parse+classify: ${messages} messages in ${elapsed.toFixed(2)} s = ${Math.round(messages / elapsed)} messages/s (one core)`,
);
console.log(`20 MB message: ${hugeMs.toFixed(1)} ms (kind ${hugeResult.analysis.kind})`);
console.log(`peak RSS: ${rssMiB.toFixed(1)} MiB`);
