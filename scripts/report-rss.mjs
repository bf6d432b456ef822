// Preloaded by bench-export.mjs (`node --import`) into the real CLI: reports its peak RSS
// on exit, on stderr, as one JSON line.
import { writeSync } from 'node:fs';

process.on('exit', () => {
  writeSync(2, `${JSON.stringify({ peakRssKiB: process.resourceUsage().maxRSS })}\n`);
});
