// digest.sentCount against the real things it calls: a shell command and an HTTP server.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import { providerOf } from '../../src/digest/mailbox-provider.ts';
import { sentCounter } from '../../src/digest/sent-count.ts';

const START = '2026-11-30T06:00:00.000Z';
const END = '2026-12-01T06:00:00.000Z';

describe('digest.sentCount', () => {
  it('runs a command with the period in its environment, and reads the number it prints', async () => {
    const counter = sentCounter('test "$BOUNCED_PERIOD_START" = 2026-11-30T06:00:00.000Z && echo " 12345"');
    expect(await counter.count(START, END)).toEqual({ count: 12345 });
    expect(await sentCounter('exit 3').count(START, END)).toEqual({
      unavailable: 'the command exited with 3',
    });
    expect(await sentCounter('echo lots').count(START, END)).toEqual({
      unavailable: 'the answer is not a count of messages: "lots"',
    });
  });

  it('asks a URL with since and until, and takes a number or {"count": n}', async () => {
    const seen: string[] = [];
    const server = createServer((req, res) => {
      seen.push(req.url ?? '');
      if (req.url?.startsWith('/json')) res.end('{"count": 800}');
      else if (req.url?.startsWith('/plain')) res.end('900\n');
      else {
        res.statusCode = 500;
        res.end('boom');
      }
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    try {
      expect(await sentCounter(`${base}/json?token=t0ps3cret`).count(START, END)).toEqual({ count: 800 });
      expect(await sentCounter(`${base}/plain`).count(START, END)).toEqual({ count: 900 });
      const failed = await sentCounter(`${base}/down?token=t0ps3cret`).count(START, END);
      expect(failed).toEqual({
        unavailable: `127.0.0.1:${(server.address() as AddressInfo).port} answered HTTP 500`,
      });
      expect(JSON.stringify(failed)).not.toContain('t0ps3cret');
      expect(seen[0]).toBe(
        `/json?token=t0ps3cret&since=${encodeURIComponent(START)}&until=${encodeURIComponent(END)}`,
      );
    } finally {
      server.close();
    }
  });
});

describe('the provider of a failure', () => {
  it('is judged from the receiving server first, then the reporting server, then the domain', () => {
    expect(providerOf('acme.example', 'dns; aspmx.l.google.com')).toBe('Google');
    expect(providerOf('contoso.example', 'contoso-example.mail.protection.outlook.com [192.0.2.1]')).toBe(
      'Microsoft',
    );
    expect(providerOf('example.org', null, 'mta1.am0.yahoodns.net')).toBe('Yahoo');
    expect(providerOf('me.com')).toBe('Apple');
    expect(providerOf('hotmail.fr')).toBe('Microsoft');
    expect(providerOf('yahoo.co.uk')).toBe('Yahoo');
    expect(providerOf('receiver.example', 'mx.receiver.example')).toBe('Other');
  });
});
