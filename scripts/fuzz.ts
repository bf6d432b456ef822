// `npm run fuzz [-- CASES]`: property-based fuzzing of the analysis with fast-check over
// mutated fixtures (byte flips, truncation, deep nesting, huge headers, NULs, broken
// encodings). Prints figures; it fails (exit 1) on a crash, with the seed to replay.
import fc from 'fast-check';
import { analyzeMessage } from '../src/analyze-message.ts';
import { fixtureMessages, mutatedMessage } from '../test/fuzz/mutations.ts';

const cases = Number(process.argv[2] ?? 100_000);
const seed = Number(process.env.FUZZ_SEED ?? Date.now() % 2 ** 31);
const messages = fixtureMessages(new URL('../test/fixtures', import.meta.url).pathname);
const times: number[] = [];
let crashes = 0;
const started = Date.now();
const result = fc.check(
  fc.property(mutatedMessage(messages.length), ({ index, apply }) => {
    const bytes = apply(messages[index]!);
    const t = performance.now();
    try {
      analyzeMessage(bytes);
    } catch (err) {
      crashes++;
      throw err;
    }
    times.push(performance.now() - t);
  }),
  { numRuns: cases, seed },
);
times.sort((a, b) => a - b);
const at = (q: number) => times[Math.min(times.length - 1, Math.floor(q * times.length))] ?? 0;
console.log(
  JSON.stringify({
    cases: times.length,
    crashes,
    seed,
    p50_ms: Number(at(0.5).toFixed(3)),
    p99_ms: Number(at(0.99).toFixed(3)),
    slowest_ms: Number((times.at(-1) ?? 0).toFixed(1)),
    seconds: Math.round((Date.now() - started) / 1000),
  }),
);
if (result.failed) {
  console.error(
    `a case failed: FUZZ_SEED=${seed}, path ${result.counterexamplePath}: ${String(result.errorInstance)}`,
  );
  process.exit(1);
}
