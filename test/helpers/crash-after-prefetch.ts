// Runs one scan from BOUNCED_* variables and kills its own process with SIGKILL after the
// second batch is committed, before its MOVE, and once the third batch (at least) has been
// fetched ahead (the pipeline's worst moment: one batch committed and not moved, more in
// memory).
import { loadConfig } from '../../src/config/load-config.ts';
import { openApp, scanOnce } from '../../src/main.ts';
import { silentLogger } from './app.ts';

const app = await openApp(loadConfig(), { logger: silentLogger });
let fetched = 0;
let committed = 0;
await scanOnce(app, {
  afterFetch: () => {
    fetched++;
  },
  afterCommit: async () => {
    committed++;
    if (committed < 2) return;
    const deadline = Date.now() + 10_000;
    while (fetched < 3 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 5));
    process.stdout.write(`committed ${committed}, fetched ${fetched}\n`);
    process.kill(process.pid, 'SIGKILL');
  },
});
