// `node scripts/bench-ab.mjs OLD_DIST [NEW_DIST]`: parse + classify of two builds compared in
// one process, passes over the corpus interleaved (old, new, old, new …), so that both see
// the same machine load; prints the min and median pass times and the speed ratio. Build the
// old code in a worktree: `git worktree add /tmp/old REV && (cd /tmp/old && npm ci)`.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

const [oldDist, newDist = 'dist'] = process.argv.slice(2);
if (!oldDist) {
  console.error('usage: node scripts/bench-ab.mjs OLD_DIST [NEW_DIST]');
  process.exit(64);
}
const load = async (dist) => {
  const root = resolve(dist, 'src');
  for (const file of ['analyze-message.js', 'main.js']) {
    try {
      return (await import(pathToFileURL(join(root, file)).href)).analyzeMessage;
    } catch {
      // an older build has analyzeMessage in main.js only
    }
  }
  throw new Error(`no analyzeMessage in ${dist}`);
};
const [before, after] = [await load(oldDist), await load(newDist)];
const files = [];
const walk = (d) => {
  for (const n of readdirSync(d)) {
    const p = join(d, n);
    if (statSync(p).isDirectory()) walk(p);
    else files.push(readFileSync(p));
  }
};
walk(process.env.CORPUS ?? '../shared/corpus/emails');
const pass = (analyze) => {
  const t = process.hrtime.bigint();
  for (const b of files) analyze(b);
  return Number(process.hrtime.bigint() - t) / 1e6;
};
for (let i = 0; i < 5; i++) {
  pass(before);
  pass(after);
}
const a = [];
const b = [];
for (let i = 0; i < 40; i++) {
  a.push(pass(before));
  b.push(pass(after));
}
const sorted = (x) => [...x].sort((p, q) => p - q);
const [sa, sb] = [sorted(a), sorted(b)];
console.log(
  `${files.length} messages a pass; old: min ${sa[0].toFixed(1)} ms, median ${sa[20].toFixed(1)} ms; ` +
    `new: min ${sb[0].toFixed(1)} ms, median ${sb[20].toFixed(1)} ms; ` +
    `new speed / old: ${(sa[0] / sb[0]).toFixed(3)} (min), ${(sa[20] / sb[20]).toFixed(3)} (median)`,
);
