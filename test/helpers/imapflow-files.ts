import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

/** A file of the installed imapflow's ES module build, the one the bundle takes ('imap-flow.js', 'tools.js'). */
export function installedImapflowFile(name: string): string {
  const main = createRequire(import.meta.url).resolve('imapflow'); // dist/cjs/imap-flow.js
  return join(dirname(main), '..', 'esm', name);
}

/** The text of the built bundle's imapflow chunk (`npm run build`). */
export function bundledImapflow(): string {
  const dir = join('dist', 'bundle');
  const chunk = readdirSync(dir).find((f) => /^imap-flow-.*\.js$/.test(f));
  if (!chunk) throw new Error(`no imap-flow chunk in ${dir}: run npm run build`);
  return readFileSync(join(dir, chunk), 'utf8');
}
