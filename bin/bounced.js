#!/usr/bin/env node
// The installed entry point: the compiled CLI (built by `npm run build`, which `npm ci` runs as `prepare`).
import { main } from '../dist/src/cli.js';

main(process.argv).then(
  (code) => {
    process.exitCode = code;
  },
  (err) => {
    console.error(`bounced: ${err instanceof Error ? err.message : String(err)}`);
    process.exitCode = 70;
  },
);
