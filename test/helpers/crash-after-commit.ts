// Runs one scan from BOUNCED_* variables and kills its own process with SIGKILL right
// after the first batch is committed, before the MOVE: a crash at the worst moment.
import { loadConfig } from '../../src/config/load-config.ts';
import { openApp, scanOnce } from '../../src/main.ts';
import { silentLogger } from './app.ts';

const app = await openApp(loadConfig(), { logger: silentLogger });
await scanOnce(app, {
  afterCommit: () => {
    process.kill(process.pid, 'SIGKILL');
  },
});
