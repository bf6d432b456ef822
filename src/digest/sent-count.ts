import { execFile } from 'node:child_process';

/** How many messages the sender sent in a period, or why that is not known. */
export type SentCount = { readonly count: number } | { readonly unavailable: string };

export interface SentCounter {
  count(start: string, end: string): Promise<SentCount>;
}

const TIMEOUT_MS = 30_000;

/**
 * `digest.sentCount`: a URL (GET, with `since` and `until` added to its query; the answer is
 * a number, or JSON with a `count`) or a shell command (run with BOUNCED_PERIOD_START and
 * BOUNCED_PERIOD_END set; it prints a number). A failure is a value: the digest then says
 * why it shows no rates, and is sent all the same.
 */
export function sentCounter(source: string): SentCounter {
  return {
    count: async (start, end) => {
      try {
        const text = /^https?:\/\//i.test(source)
          ? await fromUrl(source, start, end)
          : await fromCommand(source, start, end);
        return parseCount(text);
      } catch (err) {
        return { unavailable: (err as Error).message };
      }
    },
  };
}

function parseCount(text: string): SentCount {
  const t = text.trim();
  let value: unknown = t;
  if (t.startsWith('{')) {
    try {
      value = (JSON.parse(t) as { count?: unknown }).count;
    } catch {
      return { unavailable: 'the answer is not valid JSON' };
    }
  }
  const n = typeof value === 'number' ? value : /^\d+$/.test(String(value)) ? Number(value) : NaN;
  if (!Number.isSafeInteger(n) || n < 0)
    return { unavailable: `the answer is not a count of messages: ${JSON.stringify(t.slice(0, 40))}` };
  return { count: n };
}

async function fromUrl(source: string, start: string, end: string): Promise<string> {
  const url = new URL(source);
  url.searchParams.set('since', start);
  url.searchParams.set('until', end);
  const res = await fetch(url, { signal: AbortSignal.timeout(TIMEOUT_MS) });
  // The URL may carry a token in its query: errors name the host only.
  if (!res.ok) throw new Error(`${url.host} answered HTTP ${res.status}`);
  return res.text();
}

function fromCommand(command: string, start: string, end: string): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(
      '/bin/sh',
      ['-c', command],
      {
        env: { ...process.env, BOUNCED_PERIOD_START: start, BOUNCED_PERIOD_END: end },
        timeout: TIMEOUT_MS,
        maxBuffer: 64 * 1024,
      },
      (err, stdout) => {
        if (err) {
          const e = err as Error & { code?: number | string; killed?: boolean };
          reject(
            new Error(e.killed ? 'the command timed out' : `the command exited with ${e.code ?? 'an error'}`),
          );
        } else resolve(stdout);
      },
    );
  });
}
