// The HTTP API against a real SQLite file filled by a real scan of a private Dovecot, over
// real HTTP. Every response the tests receive is checked at the end against the OpenAPI
// description the server itself serves.
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { loadConfig } from '../../src/config/load-config.ts';
import { type App, openApp, scanOnce, startApi } from '../../src/main.ts';
import { envFor, silentLogger } from '../helpers/app.ts';
import { freshUser, seedMaildir } from '../helpers/maildir.ts';
import { makeDsn, makeOrdinaryMail } from '../helpers/messages.ts';

const dovecot = inject('dovecot');
const TOKEN = 'test-token-0123456789abcdef';

let app: App;
let api: Awaited<ReturnType<typeof startApi>>;
let base: string;
const seen: { method: string; route: string; status: number; body: unknown }[] = [];

/** A request as a sender makes it; the answer is kept for the OpenAPI check. */
async function call(
  method: string,
  path: string,
  options: { body?: unknown; raw?: string; token?: string | null; route?: string } = {},
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- a JSON answer, read by the assertions
): Promise<{ status: number; body: any; headers: Headers; text: string }> {
  const headers: Record<string, string> = {};
  const token = options.token === undefined ? TOKEN : options.token;
  if (token !== null) headers.authorization = `Bearer ${token}`;
  if (options.body !== undefined || options.raw !== undefined) headers['content-type'] = 'application/json';
  const res = await fetch(`${base}${path}`, {
    method,
    headers,
    body: options.raw ?? (options.body === undefined ? undefined : JSON.stringify(options.body)),
  });
  const text = await res.text();
  const body = res.headers.get('content-type')?.includes('json') ? JSON.parse(text) : text;
  if (options.route)
    seen.push({ method: method.toLowerCase(), route: options.route, status: res.status, body });
  return { status: res.status, body, headers: res.headers, text };
}

beforeAll(async () => {
  const user = freshUser('api');
  const env = envFor(dovecot, user, { BOUNCED_HTTP_LISTEN: '127.0.0.1:0', BOUNCED_HTTP_TOKEN: TOKEN });
  seedMaildir(dovecot, user, [
    makeDsn({ recipients: [{ address: 'gone@receiver.example', status: '5.1.1' }] }),
    makeDsn({ recipients: [{ address: 'full@receiver.example', status: '4.2.2', action: 'delayed' }] }),
    makeDsn({ recipients: [{ address: 'also-gone@receiver.example', status: '5.1.1' }] }),
    makeOrdinaryMail(),
  ]);
  app = await openApp(loadConfig({ env }), { logger: silentLogger, metrics: true });
  await scanOnce(app);
  api = await startApi(app, '0.0.0-test');
  base = `http://${api.host}:${api.port}`;
});

afterAll(async () => {
  await api?.close();
  await app?.close();
});

describe('the HTTP API', () => {
  it('answers a lookup: 200 with the suppression of a hard-bounced address, 404 otherwise', async () => {
    const hit = await call('GET', '/v1/suppressions/gone@receiver.example', {
      route: '/v1/suppressions/{address}',
    });
    expect(hit.status).toBe(200);
    expect(hit.body).toMatchObject({
      address: 'gone@receiver.example',
      source: 'bounce',
      reason: 'userunknown',
      status: '5.1.1',
      evidenceCount: 1,
    });
    expect(hit.body.cause).toBe('Mailbox does not exist (5.1.1)');
    expect(hit.body.diagnostic).toContain('User unknown');
    expect(new Date(hit.body.since).getTime()).toBeGreaterThan(Date.now() - 600_000);
    // Case and the domain's form do not matter: the stored key is what is compared.
    expect((await call('GET', '/v1/suppressions/Gone@RECEIVER.example')).status).toBe(200);

    // A delay does not suppress.
    const miss = await call('GET', '/v1/suppressions/full@receiver.example', {
      route: '/v1/suppressions/{address}',
    });
    expect(miss.status).toBe(404);
    expect(miss.body.error).toContain('full@receiver.example is not suppressed');
  });

  it('refuses a missing or wrong token with 401, saying nothing of the address', async () => {
    const answers = [];
    for (const token of [null, 'wrong', `${TOKEN}x`, TOKEN.slice(0, -1)])
      for (const address of ['gone@receiver.example', 'never@receiver.example']) {
        const r = await call('GET', `/v1/suppressions/${address}`, {
          token,
          route: '/v1/suppressions/{address}',
        });
        answers.push(`${r.status} ${r.text}`);
        expect(r.headers.get('www-authenticate')).toBe('Bearer realm="bounced"');
      }
    expect(new Set(answers).size).toBe(1);
    expect(answers[0]).toMatch(/^401 /);
    // The other routes under /v1 as well, the description included.
    for (const [method, path] of [
      ['GET', '/v1/suppressions'],
      ['POST', '/v1/suppressions/check'],
      ['PUT', '/v1/suppressions/x@y.example'],
      ['DELETE', '/v1/suppressions/gone@receiver.example'],
      ['GET', '/v1/events?address=gone@receiver.example'],
      ['GET', '/v1/openapi.json'],
    ] as const)
      expect((await call(method, path, { token: null })).status, path).toBe(401);
    // Nothing was removed by the unauthenticated DELETE.
    expect((await call('GET', '/v1/suppressions/gone@receiver.example')).status).toBe(200);
  });

  it('checks up to 1,000 addresses in one call, in the order given', async () => {
    const addresses = ['never@receiver.example', 'gone@receiver.example', 'ALSO-gone@receiver.example'];
    const r = await call('POST', '/v1/suppressions/check', {
      body: { addresses },
      route: '/v1/suppressions/check',
    });
    expect(r.status).toBe(200);
    expect(r.body.results).toEqual([
      { address: 'never@receiver.example', suppressed: false },
      { address: 'gone@receiver.example', suppressed: true },
      { address: 'ALSO-gone@receiver.example', suppressed: true },
    ]);
    const many = Array.from({ length: 1000 }, (_, i) => `u${i}@receiver.example`);
    const full = await call('POST', '/v1/suppressions/check', {
      body: { addresses: many },
      route: '/v1/suppressions/check',
    });
    expect(full.status).toBe(200);
    expect(full.body.results).toHaveLength(1000);
  });

  it('gives 400 naming the problem for bad input, and 413 for an oversized body', async () => {
    const bad = await call('GET', '/v1/suppressions/not-an-address', { route: '/v1/suppressions/{address}' });
    expect(bad.status).toBe(400);
    expect(bad.body.error).toBe(
      'not an email address: "not-an-address": it needs a local part, "@" and a domain',
    );

    const badItem = await call('POST', '/v1/suppressions/check', {
      body: { addresses: ['ok@receiver.example', 'broken@'] },
      route: '/v1/suppressions/check',
    });
    expect(badItem.status).toBe(400);
    expect(badItem.body.error).toMatch(/^addresses\[1\]: not an email address: "broken@"/);

    const tooMany = await call('POST', '/v1/suppressions/check', {
      body: { addresses: Array.from({ length: 1001 }, (_, i) => `u${i}@receiver.example`) },
      route: '/v1/suppressions/check',
    });
    expect(tooMany.status).toBe(400);
    expect(tooMany.body.error).toContain('must NOT have more than 1000 items');

    const missing = await call('POST', '/v1/suppressions/check', {
      body: {},
      route: '/v1/suppressions/check',
    });
    expect(missing.status).toBe(400);
    expect(missing.body.error).toContain("must have required property 'addresses'");

    const notJson = await call('POST', '/v1/suppressions/check', {
      raw: '{"addresses": [',
      route: '/v1/suppressions/check',
    });
    expect(notJson.status).toBe(400);

    const huge = await call('POST', '/v1/suppressions/check', {
      raw: JSON.stringify({ addresses: ['x'.repeat(600 * 1024)] }),
      route: '/v1/suppressions/check',
    });
    expect(huge.status).toBe(413);
    expect(huge.body.error).toMatch(/body/i);

    const events = await call('GET', '/v1/events', { route: '/v1/events' });
    expect(events.status).toBe(400);
    expect(events.body.error).toContain('address');
  });

  it('adds and removes by hand, recorded in the history as the CLI records it', async () => {
    const put = await call('PUT', '/v1/suppressions/vip@receiver.example', {
      body: { reason: 'asked by phone' },
      route: '/v1/suppressions/{address}',
    });
    expect(put.status).toBe(201);
    expect(put.body).toMatchObject({
      address: 'vip@receiver.example',
      source: 'manual',
      cause: 'asked by phone',
    });
    const again = await call('PUT', '/v1/suppressions/vip@receiver.example', {
      route: '/v1/suppressions/{address}',
    });
    expect(again.status).toBe(200);
    expect(again.body.cause).toBe('asked by phone');

    const del = await call('DELETE', '/v1/suppressions/vip@receiver.example?reason=customer%20came%20back', {
      route: '/v1/suppressions/{address}',
    });
    expect(del.status).toBe(200);
    expect(del.body).toEqual({ address: 'vip@receiver.example', removed: true });
    const gone = await call('DELETE', '/v1/suppressions/vip@receiver.example', {
      route: '/v1/suppressions/{address}',
    });
    expect(gone.status).toBe(404);
    expect((await call('GET', '/v1/suppressions/vip@receiver.example')).status).toBe(404);

    const detail = await app.suppressions.show('vip@receiver.example');
    expect(detail.history).toMatchObject([
      { action: 'suppressed', source: 'manual', cause: 'asked by phone' },
      { action: 'removed', source: 'manual', rule: 'via the API', cause: 'customer came back' },
    ]);
  });

  it('lists the suppressions a page at a time with a cursor, and since a date', async () => {
    const before = new Date(Date.now() - 1).toISOString();
    for (let i = 0; i < 25; i++)
      await app.suppressions.add(`page${String(i).padStart(2, '0')}@list.example`, 'seed');
    const all: string[] = [];
    let cursor: string | undefined;
    let pages = 0;
    do {
      const r = await call('GET', `/v1/suppressions?limit=10${cursor ? `&cursor=${cursor}` : ''}`, {
        route: '/v1/suppressions',
      });
      expect(r.status).toBe(200);
      all.push(...r.body.items.map((s: { address: string }) => s.address));
      cursor = r.body.next;
      pages++;
    } while (cursor);
    // 25 added here, 2 hard bounces from the scan (the removed one is not listed).
    expect(all).toHaveLength(27);
    expect(pages).toBe(3);
    expect([...all].sort()).toEqual(all);
    expect(new Set(all).size).toBe(27);

    const since = await call('GET', `/v1/suppressions?limit=1000&since=${encodeURIComponent(before)}`, {
      route: '/v1/suppressions',
    });
    expect(since.body.items).toHaveLength(25);
    expect(since.body.next).toBeUndefined();

    const badCursor = await call('GET', '/v1/suppressions?cursor=nonsense', { route: '/v1/suppressions' });
    expect(badCursor.status).toBe(400);
    expect(badCursor.body.error).toContain('cursor');
    const badSince = await call('GET', '/v1/suppressions?since=yesterday', { route: '/v1/suppressions' });
    expect(badSince.status).toBe(400);
    expect(badSince.body.error).toBe('since: expected a date such as 2026-11-01, got "yesterday"');
    const badLimit = await call('GET', '/v1/suppressions?limit=5000', { route: '/v1/suppressions' });
    expect(badLimit.status).toBe(400);
  });

  it('gives the evidence of an address', async () => {
    const r = await call('GET', '/v1/events?address=gone@receiver.example', { route: '/v1/events' });
    expect(r.status).toBe(200);
    expect(r.body.events).toHaveLength(1);
    expect(r.body.events[0]).toMatchObject({ kind: 'bounce', action: 'failed', status: '5.1.1' });
    expect(r.body.events[0].messageRef).toMatch(/^imap:INBOX;UIDVALIDITY=\d+;UID=\d+$/);
    const none = await call('GET', '/v1/events?address=never@receiver.example', { route: '/v1/events' });
    expect(none.body).toEqual({ address: 'never@receiver.example', events: [] });
  });

  it('serves the metrics without a token, counting what the scan did', async () => {
    const r = await call('GET', '/metrics', { token: null });
    expect(r.status).toBe(200);
    expect(r.headers.get('content-type')).toContain('text/plain');
    const value = (series: string) => {
      const line = r.text.split('\n').find((l) => l.startsWith(`${series} `));
      return line === undefined ? undefined : Number(line.slice(series.length + 1));
    };
    const mailbox = app.config.mailboxes[0]!.name;
    expect(value(`bounced_messages_total{outcome="bounce",mailbox="${mailbox}"}`)).toBe(2);
    expect(value(`bounced_messages_total{outcome="delayed",mailbox="${mailbox}"}`)).toBe(1);
    expect(value(`bounced_events_total{kind="delayed",reason="mailboxfull",mailbox="${mailbox}"}`)).toBe(1);
    expect(value(`bounced_messages_total{outcome="none",mailbox="${mailbox}"}`)).toBe(1);
    expect(value(`bounced_events_total{kind="bounce",reason="userunknown",mailbox="${mailbox}"}`)).toBe(2);
    expect(value('bounced_suppressions_added_total{rule="bounce"}')).toBe(2);
    // 2 bounces + 25 listed above; the API's add counted as manual.
    expect(value('bounced_suppressions')).toBe(27);
    expect(value('bounced_suppressions_added_total{rule="manual"}')).toBe(1);
    expect(value(`bounced_scan_duration_seconds_count{mailbox="${mailbox}",outcome="ok"}`)).toBe(1);
    expect(value(`bounced_last_successful_scan_age_seconds{mailbox="${mailbox}"}`)).toBeLessThan(600);
    expect(value(`bounced_review_folder_messages{mailbox="${mailbox}"}`)).toBe(1);
    expect(r.text).toContain('bounced_process_cpu_seconds_total');
  });

  it('counts a scan that cannot log in as an IMAP connection failure', async () => {
    const user = freshUser('api-bad');
    const env = envFor(dovecot, user, { BOUNCED_IMAP_PASSWORD: 'not-the-password' });
    const other = await openApp(loadConfig({ env }), { logger: silentLogger, metrics: true });
    try {
      await expect(scanOnce(other)).rejects.toThrow(/authentication|login/i);
      const text = (await other.metrics!.render()).body;
      expect(text).toContain(
        `bounced_imap_connection_failures_total{mailbox="${other.config.mailboxes[0]!.name}"} 1`,
      );
      expect(text).toContain(
        `bounced_scan_duration_seconds_count{mailbox="${other.config.mailboxes[0]!.name}",outcome="failed"} 1`,
      );
    } finally {
      await other.close();
    }
  });

  it('answers the health checks without a token', async () => {
    expect(await call('GET', '/healthz', { token: null, route: '/healthz' })).toMatchObject({
      status: 200,
      body: { ok: true },
    });
    expect(await call('GET', '/readyz', { token: null, route: '/readyz' })).toMatchObject({
      status: 200,
      body: { ok: true },
    });
  });

  it('says not ready once the database is gone', async () => {
    await app.db.destroy();
    const r = await call('GET', '/readyz', { token: null, route: '/readyz' });
    expect(r.status).toBe(503);
    expect(r.body.ok).toBe(false);
    expect(r.body.problem).toMatch(/^database: /);
  });

  it('matches its OpenAPI description in every response the tests received', async () => {
    const doc = (await call('GET', '/v1/openapi.json')).body;
    expect(doc.openapi).toBe('3.1.0');
    const ajv = new Ajv2020({ strict: false });
    addFormats.default(ajv);
    expect(new Set(seen.map((s) => `${s.method} ${s.route}`))).toEqual(
      new Set(
        Object.entries(doc.paths as Record<string, Record<string, unknown>>).flatMap(([path, ops]) =>
          Object.keys(ops).map((m) => `${m} ${path}`),
        ),
      ),
    );
    for (const s of seen) {
      const responses = doc.paths[s.route][s.method].responses;
      const documented = responses[String(s.status)];
      expect(documented, `${s.method} ${s.route} ${s.status} is documented`).toBeDefined();
      const schema = documented.content['application/json'].schema;
      // The document's components travel with the schema: its $refs (#/components/schemas/…) point there.
      const validate = ajv.compile({ ...schema, components: doc.components });
      expect(validate(s.body), `${s.method} ${s.route} ${s.status}: ${ajv.errorsText(validate.errors)}`).toBe(
        true,
      );
    }
  });
});
