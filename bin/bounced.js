#!/usr/bin/env -S node --max-semi-space-size=16 --single-threaded-gc
// The installed entry point: the compiled and bundled CLI (built by `npm run build`, which `npm ci` runs as `prepare`).
import { setFlagsFromString } from 'node:v8';
// The first line fixes the main thread's young generation at 16 MiB semi-spaces, what V8
// gives a machine with this one's memory (a container's limit can make V8 choose less). A
// scan's garbage is short-lived but not instant: a batch's FETCH tokens, queries and
// results live while the two batches ahead are fetched and analysed. At 2 MiB they were
// promoted and collected again: a 10,000-message scan spent ~2 CPU s more, at 0.55 of the
// floor's rate instead of 0.58 (medians), for 134 MiB of memory instead of 186 (`npm run
// bench:e2e`, 2026-12-02). 8 MiB was between. It must be a command-line option: set from here, the
// heap is already sized. (The Docker image's entry point passes it too.)
// --single-threaded-gc: V8 collects on the thread whose heap it is, with no helper threads.
// On 2 cores shared with the IMAP server, the four parallel helpers only took CPU from the
// main thread and the analysis worker: a 10,000-message scan used 3.58 CPU s instead of 3.79
// and took 2.71 s instead of 2.79 (medians of 10, interleaved, `npm run bench:e2e`'s
// workload, 2026-12-02); the HTTP API's lookups were as fast. It, too, must be given on the
// command line: set later, V8 aborts at its next collection.
// The old generation grows by 20 % between full collections rather than V8's default
// factor (up to 4x for a small heap): the main heap of a 10,000-message scan peaked at
// 58 MiB instead of 74, the process at ~163 MiB instead of 175–205, at the same speed
// (`npm run bench:e2e`). V8 flags are process-wide: the analysis workers get it too.
setFlagsFromString('--heap-growing-percent=20');
// TurboFan inlines less into each function it optimizes (200 bytes of bytecode in all, V8's
// default 920). A 10,000-message scan spent ~1.8 CPU s on V8's background threads, most of
// it compiling: the pipeline's batch function and imapflow's parser, each inlined into
// 60–115 ms compiles, some of them three times. With 200, the scan used 4.6 CPU s instead of
// 5.05 and ran at 2,905 msg/s instead of 2,690 (medians of 5, interleaved, `npm run
// bench:e2e`, 2026-12-02); parse + classify's steady state (`npm run bench`) was unchanged.
setFlagsFromString('--max-inlined-bytecode-size-cumulative=200');
// And a function must run 8 times as long as V8's default (540,000 bytecode bytes of budget
// instead of 67,584) before TurboFan compiles it: in a scan's few seconds it compiled code
// that was warm only for a moment, some of it again as the feedback changed. A
// 10,000-message scan used 3.53 CPU s instead of 3.79 and took 2.69 s instead of 2.79; with
// --single-threaded-gc, 3.44 CPU s and 2.63 s (medians of 10, interleaved, 2026-12-02). 4 or
// 16 times gave about the same. `npm run bench` (parse + classify's steady state) runs
// without it and is unchanged.
setFlagsFromString('--interrupt-budget=540000');
// The bundle of the compiled CLI (scripts/bundle.mjs: a few files to load, not ~500).
const { main } = await import('../dist/bundle/cli.js');

// A closed pipe (`bounced export | head`) ends the command quietly with exit 0, as in git,
// jq and coreutils: the reader has all it wanted. Any other stdout error is a real one.
process.stdout.on('error', (err) => {
  if (err.code === 'EPIPE') process.exit(0);
  throw err;
});

main(process.argv).then(
  (code) => {
    process.exitCode = code;
  },
  (err) => {
    console.error(`bounced: ${err instanceof Error ? err.message : String(err)}`);
    process.exitCode = 70;
  },
);
