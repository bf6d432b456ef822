import swagger from '@fastify/swagger';
import Fastify, { type FastifyError, LogController } from 'fastify';
import type { Logger } from '../log/logger.ts';
import { parseMailbox } from '../parse/address.ts';
import type { SuppressionView } from '../store/suppression-queries.ts';
import type { EvidenceRow } from '../store/suppression-store.ts';
import { bearerCheck } from './bearer.ts';
import {
  addSchema,
  checkSchema,
  errorBody,
  eventBody,
  eventsSchema,
  healthSchema,
  listSchema,
  lookupSchema,
  readySchema,
  removeSchema,
  suppressionBody,
} from './schemas.ts';

declare module 'fastify' {
  interface FastifyRequest {
    /** The route's address, parsed and lower-cased (see the preHandler hook). */
    mailbox: string;
  }
}

/** What the API reads and changes: the store as the API sees it. */
export interface ApiDeps {
  readonly suppressions: {
    lookup(address: string): Promise<SuppressionView | undefined>;
    suppressedKeys(addresses: readonly string[]): Promise<Set<string>>;
    page(options: {
      after?: string;
      since?: string;
      limit: number;
    }): Promise<{ items: readonly SuppressionView[]; after?: string }>;
    add(address: string, reason: string | undefined): Promise<boolean>;
    remove(address: string, reason: string | undefined, by: string): Promise<boolean>;
    events(address: string): Promise<readonly EvidenceRow[]>;
    /** The stored key of an address (its domain in A-label form). */
    keyOf(address: string): string;
  };
  /** Does the database answer? */
  readonly ready: () => Promise<{ ok: boolean; problem?: string }>;
  readonly metrics: () => Promise<{ contentType: string; body: string }>;
  /** The bearer token every /v1 route requires. */
  readonly token: string;
  readonly logger: Logger;
  readonly version: string;
}

export interface ApiServer {
  /** Starts listening on "host:port"; resolves to the address it listens on. */
  listen(hostPort: string): Promise<{ host: string; port: number }>;
  close(): Promise<void>;
}

/** Requests bigger than this get 413: 1,000 addresses of 320 characters fit with room. */
const BODY_LIMIT = 512 * 1024;

/** The HTTP API (fastify). Vendor types stay in this folder; the daemon sees ApiServer. */
export async function buildApi(deps: ApiDeps): Promise<ApiServer> {
  const app = Fastify({
    loggerInstance: deps.logger,
    // A sender asks before every send: one log line per lookup would drown the log.
    logController: new LogController({ disableRequestLogging: true }),
    bodyLimit: BODY_LIMIT,
  });
  await app.register(swagger, {
    // The components keep the schemas' own names (Suppression, Event, Error).
    refResolver: { buildLocalReference: (json, _base, _fragment, i) => String(json.$id ?? `def-${i}`) },
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'bounced',
        version: deps.version,
        description: 'The suppression list of bounced: ask before sending, change it by hand.',
      },
      components: {
        securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } },
      },
      security: [{ bearer: [] }],
    },
  });
  for (const schema of [errorBody, suppressionBody, eventBody]) app.addSchema(schema);

  const authorized = bearerCheck(deps.token);
  app.addHook('onRequest', async (request, reply) => {
    // Everything under /v1 needs the token; the health checks and the metrics do not. The
    // check comes before routing, so a 401 says nothing of whether an address exists.
    if (!request.url.startsWith('/v1/') && request.url !== '/v1') return;
    if (authorized(request.headers.authorization)) return;
    await reply
      .code(401)
      .header('www-authenticate', 'Bearer realm="bounced"')
      .send({ error: 'a valid bearer token is required (Authorization: Bearer …)' });
  });
  app.addHook('onResponse', async (request, reply) => {
    request.log.debug(
      {
        method: request.method,
        url: request.routeOptions.url,
        status: reply.statusCode,
        ms: reply.elapsedTime,
      },
      'request',
    );
  });
  app.setErrorHandler((err: FastifyError, request, reply) => {
    const status = err.statusCode ?? 500;
    if (status >= 500) {
      request.log.error({ err: err.message, url: request.routeOptions.url }, 'request failed');
      return reply.code(status).send({ error: 'internal error; see the log' });
    }
    // Fastify's own messages name the problem: "body/addresses must NOT have more than 1000 items".
    return reply.code(status).send({ error: err.message.replace(/^body\//, 'body: ') });
  });
  app.setNotFoundHandler((request, reply) =>
    reply.code(404).send({ error: `no such route: ${request.method} ${request.url.split('?')[0]}` }),
  );

  const badAddress = (raw: string, problem: string) => ({
    error: `not an email address: ${JSON.stringify(raw.slice(0, 100))}: ${problem}`,
  });
  const view = (s: SuppressionView) => ({
    address: s.address,
    source: s.source,
    rule: s.rule,
    reason: s.reason,
    cause: s.cause,
    status: s.status,
    replyCode: s.replyCode,
    diagnostic: s.diagnostic,
    since: s.suppressedAt ?? s.firstBouncedAt,
    firstBouncedAt: s.firstBouncedAt,
    lastBouncedAt: s.lastBouncedAt,
    bounceCount: s.bounceCount,
    evidenceCount: s.evidenceCount,
    mailbox: s.mailbox,
  });

  // A route's address (the {address} of the path, or ?address=) read by the one mailbox
  // parser, before the handler: a malformed one is a 400 naming the problem.
  app.decorateRequest('mailbox', '');
  app.addHook('preHandler', async (request, reply) => {
    const raw =
      (request.params as { address?: string }).address ?? (request.query as { address?: string }).address;
    if (raw === undefined) return;
    const parsed = parseMailbox(raw);
    if ('problem' in parsed) return reply.code(400).send(badAddress(raw, parsed.problem));
    request.mailbox = parsed.address;
  });

  app.get('/healthz', { schema: healthSchema }, async () => ({ ok: true }));
  app.get('/readyz', { schema: readySchema }, async (_request, reply) => {
    const ready = await deps.ready();
    return reply.code(ready.ok ? 200 : 503).send(ready);
  });
  app.get('/metrics', { schema: { hide: true } }, async (_request, reply) => {
    const { contentType, body } = await deps.metrics();
    return reply.type(contentType).send(body);
  });
  app.get('/v1/openapi.json', { schema: { hide: true } }, async () => app.swagger());

  app.get<{ Params: { address: string } }>(
    '/v1/suppressions/:address',
    { schema: lookupSchema },
    async (request, reply) => {
      const found = await deps.suppressions.lookup(request.mailbox);
      if (!found) return reply.code(404).send({ error: `${request.mailbox} is not suppressed` });
      return view(found);
    },
  );

  app.post<{ Body: { addresses: string[] } }>(
    '/v1/suppressions/check',
    { schema: checkSchema },
    async (request, reply) => {
      const parsed = request.body.addresses.map((raw) => ({ raw, parsed: parseMailbox(raw) }));
      const bad = parsed.findIndex((p) => 'problem' in p.parsed);
      if (bad !== -1) {
        const { raw, parsed: p } = parsed[bad]!;
        return reply
          .code(400)
          .send({ error: `addresses[${bad}]: ${badAddress(raw, (p as { problem: string }).problem).error}` });
      }
      const normal = parsed.map((p) => (p.parsed as { address: string }).address);
      const suppressed = await deps.suppressions.suppressedKeys(normal);
      return {
        results: normal.map((address, i) => ({
          address: parsed[i]!.raw,
          suppressed: suppressed.has(deps.suppressions.keyOf(address)),
        })),
      };
    },
  );

  app.get<{ Querystring: { limit: number; cursor?: string; since?: string } }>(
    '/v1/suppressions',
    { schema: listSchema },
    async (request, reply) => {
      const { limit, cursor, since } = request.query;
      let after: string | undefined;
      if (cursor !== undefined) {
        after = Buffer.from(cursor, 'base64url').toString('utf8');
        if (!after.includes('@') || Buffer.from(after, 'utf8').toString('base64url') !== cursor)
          return reply
            .code(400)
            .send({ error: 'cursor: not a cursor this API gave (use the `next` of a page)' });
      }
      let sinceIso: string | undefined;
      if (since !== undefined) {
        const date = new Date(since);
        if (Number.isNaN(date.getTime()))
          return reply
            .code(400)
            .send({ error: `since: expected a date such as 2026-11-01, got ${JSON.stringify(since)}` });
        sinceIso = date.toISOString();
      }
      const page = await deps.suppressions.page({ after, since: sinceIso, limit });
      return {
        items: page.items.map(view),
        ...(page.after === undefined ? {} : { next: Buffer.from(page.after, 'utf8').toString('base64url') }),
      };
    },
  );

  app.put<{ Params: { address: string }; Body: { reason?: string } | null }>(
    '/v1/suppressions/:address',
    { schema: addSchema },
    async (request, reply) => {
      const added = await deps.suppressions.add(request.mailbox, request.body?.reason ?? undefined);
      const found = await deps.suppressions.lookup(request.mailbox);
      return reply.code(added ? 201 : 200).send(view(found!));
    },
  );

  app.delete<{ Params: { address: string }; Querystring: { reason?: string } }>(
    '/v1/suppressions/:address',
    { schema: removeSchema },
    async (request, reply) => {
      const removed = await deps.suppressions.remove(request.mailbox, request.query.reason, 'via the API');
      if (!removed) return reply.code(404).send({ error: `${request.mailbox} is not suppressed` });
      return { address: request.mailbox, removed: true };
    },
  );

  app.get<{ Querystring: { address: string } }>('/v1/events', { schema: eventsSchema }, async (request) => {
    return { address: request.mailbox, events: await deps.suppressions.events(request.mailbox) };
  });

  return {
    async listen(hostPort) {
      const at = hostPort.lastIndexOf(':');
      const host = hostPort.slice(0, at).replace(/^\[(.*)\]$/, '$1') || '127.0.0.1';
      const port = Number(hostPort.slice(at + 1));
      await app.listen({ host, port });
      const address = app.server.address();
      if (address === null || typeof address === 'string') return { host, port };
      deps.logger.info({ host: address.address, port: address.port }, 'HTTP API listening');
      return { host: address.address, port: address.port };
    },
    close: () => app.close(),
  };
}
