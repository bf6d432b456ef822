// The production bundle: the compiled CLI (dist/src/cli.js) and the analysis worker
// (dist/src/scan/analysis-worker.js), each with what they import, as ES modules in
// dist/bundle/, with the code they share and what they import only when asked (the HTTP API,
// the digest's SMTP, metrics) in chunks beside them. bin/bounced.js loads dist/bundle/cli.js.
//
// Why: Node resolves, reads and compiles every ES module file on its own. bounced's graph is
// ~500 files (kysely alone is 279), and a scan started with ~0.35 s of that before it sent a
// command, the worker as much again. From the bundle, a `scan --once` of an empty mailbox
// takes 0.44–0.49 s instead of 0.67–0.87 (92 MiB instead of 105), and a 10,000-message scan
// 6.38 CPU s instead of 6.69 (medians of 5, interleaved, `npm run bench:e2e`, 2026-12-02).
//
// Left outside, loaded from node_modules at run time: native addons (better-sqlite3), what
// bounced itself loads with require() (pino-pretty, cli-progress), and the libraries of
// the OAuth2 providers and of PostgreSQL, which only some configurations load.
import { rmSync } from 'node:fs';
import { build } from 'esbuild';
import { skipUnusedResponseLog } from './imapflow-response-log.mjs';
import { nameFetchAtomsDirectly } from './imapflow-fetch-keys.mjs';

const external = [
  'better-sqlite3',
  'pg',
  'pg-cursor',
  'pino-pretty',
  'cli-progress',
  '@azure/msal-node',
  'google-auth-library',
  'openid-client',
];

// Chunk names carry a hash of their content: last build's would stay beside this one's.
rmSync('dist/bundle', { recursive: true, force: true });

await build({
  entryPoints: { cli: 'dist/src/cli.js', 'analysis-worker': 'dist/src/scan/analysis-worker.js' },
  outdir: 'dist/bundle',
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  external,
  plugins: [skipUnusedResponseLog, nameFetchAtomsDirectly],
  // Bundled CommonJS calls require() for Node's own modules; an ES module has none.
  banner: {
    js: "import { createRequire as __bundleRequire } from 'node:module';\nconst require = __bundleRequire(import.meta.url);",
  },
  // The chunks sit beside the entry points: code that finds a file from its own
  // import.meta.url (the worker, package.json) finds it from any of them.
  chunkNames: '[name]-[hash]',
  legalComments: 'linked',
  sourcemap: true,
  logLevel: 'warning',
});
