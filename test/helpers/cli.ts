import { spawn, spawnSync } from 'node:child_process';

export const BIN = 'bin/bounced.js';

export interface CliResult {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs the installed CLI as a user would, with only the given BOUNCED_* variables. */
export function runCli(args: readonly string[], env: Record<string, string> = {}): CliResult {
  const r = spawnSync(process.execPath, [BIN, ...args], {
    env: { PATH: process.env.PATH ?? '', ...env },
    encoding: 'utf8',
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

export function startCli(args: readonly string[], env: Record<string, string> = {}) {
  const child = spawn(process.execPath, [BIN, ...args], { env: { PATH: process.env.PATH ?? '', ...env } });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (c: Buffer) => {
    stdout += c.toString();
  });
  child.stderr.on('data', (c: Buffer) => {
    stderr += c.toString();
  });
  // 'close', not 'exit': by then both streams have been read to the end.
  const exit = new Promise<number | null>((r) => child.once('close', (code) => r(code)));
  return {
    child,
    exit,
    stdout: () => stdout,
    stderr: () => stderr,
    async waitFor(pattern: RegExp, timeoutMs = 20_000): Promise<void> {
      const deadline = Date.now() + timeoutMs;
      while (!pattern.test(stderr)) {
        if (Date.now() > deadline) throw new Error(`timed out waiting for ${pattern}; stderr:\n${stderr}`);
        if (child.exitCode !== null)
          throw new Error(`exited ${child.exitCode} before ${pattern}; stderr:\n${stderr}`);
        await new Promise((r) => setTimeout(r, 50));
      }
    },
  };
}

/**
 * Like runCli, without blocking the event loop: needed when the test process itself serves
 * the command (the SMTP sink).
 */
export async function runCliAsync(
  args: readonly string[],
  env: Record<string, string> = {},
): Promise<CliResult> {
  const run = startCli(args, env);
  const code = await run.exit;
  return { code, stdout: run.stdout(), stderr: run.stderr() };
}
