// `bounced run` and `bounced serve` with http.listen, as installed: the API and the metrics
// over real HTTP while the daemon scans a private Dovecot and mails the digest to a real
// SMTP server.
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { envFor } from '../helpers/app.ts';
import { runCli, startCli } from '../helpers/cli.ts';
import { freshUser, seedMaildir } from '../helpers/maildir.ts';
import { makeDsn } from '../helpers/messages.ts';
import { type SmtpSink, smtpEnvFor, startSmtpSink } from '../helpers/smtp-sink.ts';

const dovecot = inject('dovecot');
const TOKEN = 'cli-token-0123456789abcdef';
let sink: SmtpSink;

beforeAll(async () => {
  sink = await startSmtpSink();
});
afterAll(async () => {
  await sink?.stop();
});

/** The port the API logged it listens on (http.listen asks for port 0: any free one). */
function portOf(stderr: string): number {
  return Number(/"port":(\d+),"msg":"HTTP API listening"/.exec(stderr)![1]);
}

async function metricValue(port: number, series: string): Promise<number | undefined> {
  const text = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
  const line = text.split('\n').find((l) => l.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
}

describe('the API in the daemon', () => {
  it('bounced run serves lookups and metrics while it scans and sends the digest', async () => {
    const user = freshUser('api-run');
    seedMaildir(dovecot, user, [
      makeDsn({ recipients: [{ address: 'gone@receiver.example', status: '5.1.1' }] }),
    ]);
    const env = {
      ...envFor(dovecot, user, smtpEnvFor(sink)),
      BOUNCED_HTTP_LISTEN: '127.0.0.1:0',
      BOUNCED_HTTP_TOKEN: TOKEN,
      BOUNCED_LOG_LEVEL: 'info',
      BOUNCED_SCAN_SCHEDULE: '0 0 1 1 *',
      // Every two seconds: the first sends what the scan found, the next ones are empty.
      BOUNCED_DIGEST_SCHEDULE: '*/2 * * * * *',
    };
    const daemon = startCli(['run'], env);
    try {
      await daemon.waitFor(/"msg":"HTTP API listening"/);
      const port = portOf(daemon.stderr());
      await daemon.waitFor(/"msg":"scan done"/);
      await daemon.waitFor(/"msg":"digest sent"/);

      const lookup = await fetch(`http://127.0.0.1:${port}/v1/suppressions/gone@receiver.example`, {
        headers: { authorization: `Bearer ${TOKEN}` },
      });
      expect(lookup.status).toBe(200);
      expect(await lookup.json()).toMatchObject({ source: 'bounce', status: '5.1.1' });

      const mailbox = 'default';
      expect(await metricValue(port, `bounced_messages_total{outcome="bounce",mailbox="${mailbox}"}`)).toBe(
        1,
      );
      expect(await metricValue(port, 'bounced_suppressions')).toBe(1);
      expect(
        await metricValue(port, `bounced_scan_duration_seconds_count{mailbox="${mailbox}",outcome="ok"}`),
      ).toBe(1);
      expect(await metricValue(port, 'bounced_digests_total{outcome="sent"}')).toBe(1);
      expect(sink.received.some((m) => m.raw.includes('gone@receiver.example'))).toBe(true);
      // The token is never logged.
      expect(daemon.stderr()).not.toContain(TOKEN);
    } finally {
      daemon.child.kill('SIGTERM');
    }
    expect(await daemon.exit).toBe(0);
  });

  it('bounced serve answers without scanning, and stops on SIGTERM', async () => {
    const env = {
      ...envFor(dovecot, freshUser('api-serve')),
      BOUNCED_HTTP_LISTEN: '127.0.0.1:0',
      BOUNCED_HTTP_TOKEN: TOKEN,
      BOUNCED_LOG_LEVEL: 'info',
    };
    expect(runCli(['suppressions', 'add', 'vip@receiver.example', '--reason', 'by phone'], env).code).toBe(0);
    const server = startCli(['serve'], env);
    try {
      await server.waitFor(/"msg":"HTTP API listening"/);
      const port = portOf(server.stderr());
      const r = await fetch(`http://127.0.0.1:${port}/v1/suppressions/check`, {
        method: 'POST',
        headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' },
        body: JSON.stringify({ addresses: ['vip@receiver.example', 'other@receiver.example'] }),
      });
      expect(await r.json()).toEqual({
        results: [
          { address: 'vip@receiver.example', suppressed: true },
          { address: 'other@receiver.example', suppressed: false },
        ],
      });
      expect((await fetch(`http://127.0.0.1:${port}/healthz`)).status).toBe(200);
      expect(server.stderr()).not.toContain('scan done');
    } finally {
      server.child.kill('SIGTERM');
    }
    expect(await server.exit).toBe(0);
  });

  it('refuses to start without a listen address or a token, or on a port in use, naming the key and never the value', async () => {
    const base = {
      BOUNCED_DATABASE_URL: envFor(dovecot, 'nobody').BOUNCED_DATABASE_URL!,
      BOUNCED_LOG_LEVEL: 'silent',
    };
    const noListen = runCli(['serve'], base);
    expect(noListen.code).toBe(78);
    expect(noListen.stderr).toContain('http.listen is required');

    const noToken = runCli(['serve'], { ...base, BOUNCED_HTTP_LISTEN: '127.0.0.1:0' });
    expect(noToken.code).toBe(78);
    expect(noToken.stderr).toContain('http.token is required when http.listen is set');

    const short = runCli(['serve'], {
      ...base,
      BOUNCED_HTTP_LISTEN: '127.0.0.1:0',
      BOUNCED_HTTP_TOKEN: 'hunter2',
    });
    expect(short.code).toBe(78);
    expect(short.stderr).toContain('http.token (from BOUNCED_HTTP_TOKEN) is too short');
    expect(short.stderr).not.toContain('hunter2');

    const badListen = runCli(['serve'], {
      ...base,
      BOUNCED_HTTP_LISTEN: 'localhost',
      BOUNCED_HTTP_TOKEN: TOKEN,
    });
    expect(badListen.code).toBe(78);
    expect(badListen.stderr).toContain('http.listen (from BOUNCED_HTTP_LISTEN): expected host:port');

    const taken = startCli(['serve'], {
      ...base,
      BOUNCED_HTTP_LISTEN: '127.0.0.1:0',
      BOUNCED_HTTP_TOKEN: TOKEN,
      BOUNCED_LOG_LEVEL: 'info',
    });
    try {
      await taken.waitFor(/"msg":"HTTP API listening"/);
      const port = portOf(taken.stderr());
      const second = runCli(['serve'], {
        ...base,
        BOUNCED_HTTP_LISTEN: `127.0.0.1:${port}`,
        BOUNCED_HTTP_TOKEN: TOKEN,
      });
      expect(second.code).toBe(78);
      expect(second.stderr).toContain(
        `http.listen: cannot listen on 127.0.0.1:${port}: the port is in use (EADDRINUSE)`,
      );
    } finally {
      taken.child.kill('SIGTERM');
    }
    expect(await taken.exit).toBe(0);
  });
});
