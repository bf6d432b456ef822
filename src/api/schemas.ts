// The JSON Schemas of the API's requests and responses. Fastify validates requests with
// them and serialises responses through them; @fastify/swagger builds /v1/openapi.json
// from the same objects, so the description cannot drift from what is served.

const nullableString = { type: ['string', 'null'] } as const;

export const errorBody = {
  $id: 'Error',
  type: 'object',
  required: ['error'],
  properties: { error: { type: 'string', description: 'What was wrong, in one line' } },
} as const;

export const suppressionBody = {
  $id: 'Suppression',
  type: 'object',
  required: ['address', 'source', 'reason', 'cause', 'since', 'bounceCount', 'evidenceCount'],
  properties: {
    address: { type: 'string', description: 'The address, its domain in Unicode form' },
    source: {
      type: 'string',
      enum: ['bounce', 'complaint', 'soft-threshold', 'manual'],
      description: 'What suppressed it',
    },
    rule: { ...nullableString, description: 'The rule that fired, in words' },
    reason: { type: 'string', description: 'The failure reason (e.g. mailbox-unknown), or manual' },
    cause: { type: 'string', description: 'Why, in words: the diagnostic, or the reason given by hand' },
    status: { ...nullableString, description: 'RFC 3463 status code of the failure, e.g. 5.1.1' },
    replyCode: { ...nullableString, description: 'SMTP reply code, e.g. 550' },
    diagnostic: { ...nullableString, description: "The remote server's words" },
    since: { type: 'string', format: 'date-time', description: 'When it was suppressed' },
    firstBouncedAt: { type: 'string', format: 'date-time' },
    lastBouncedAt: { type: 'string', format: 'date-time' },
    bounceCount: { type: 'integer', description: 'Failures recorded for the address while suppressed' },
    evidenceCount: { type: 'integer', description: 'Events kept as the evidence for the suppression' },
    mailbox: {
      ...nullableString,
      description: 'The configured mailbox whose report caused it; null when added by hand or imported',
    },
  },
} as const;

export const eventBody = {
  $id: 'Event',
  type: 'object',
  required: ['at', 'kind', 'action', 'reason', 'messageRef'],
  properties: {
    at: { type: 'string', format: 'date-time', description: 'When the failure happened' },
    kind: { type: 'string', description: 'bounce, complaint, delay, …' },
    action: { type: 'string', description: 'failed, delayed, complained, …' },
    status: nullableString,
    reason: { type: 'string' },
    diagnostic: nullableString,
    reportingMta: nullableString,
    messageRef: { type: 'string', description: 'The report in the mailbox (imap:…;UIDVALIDITY=…;UID=…)' },
    originalMessageId: nullableString,
    mailbox: { type: 'string', description: 'The configured mailbox the report was read from' },
  },
} as const;

export const addressParam = {
  type: 'object',
  required: ['address'],
  properties: { address: { type: 'string', maxLength: 320, description: 'The email address' } },
} as const;

const ref = (id: string) => ({ $ref: `${id}#` });

/** 401, 400 and 500 are possible on every authenticated route. */
const commonErrors = {
  400: { ...ref('Error'), description: 'The request is malformed (the error names the problem)' },
  401: { ...ref('Error'), description: 'No valid bearer token' },
};

export const lookupSchema = {
  summary: 'Is this address suppressed?',
  params: addressParam,
  response: {
    200: { ...ref('Suppression'), description: 'It is suppressed' },
    404: { ...ref('Error'), description: 'It is not suppressed' },
    ...commonErrors,
  },
} as const;

export const checkSchema = {
  summary: 'Which of these addresses are suppressed? (up to 1,000)',
  body: {
    type: 'object',
    required: ['addresses'],
    additionalProperties: false,
    properties: {
      addresses: { type: 'array', minItems: 1, maxItems: 1000, items: { type: 'string', maxLength: 320 } },
    },
  },
  response: {
    200: {
      description: 'Each address in the order given, with whether it is suppressed',
      type: 'object',
      required: ['results'],
      properties: {
        results: {
          type: 'array',
          items: {
            type: 'object',
            required: ['address', 'suppressed'],
            properties: { address: { type: 'string' }, suppressed: { type: 'boolean' } },
          },
        },
      },
    },
    ...commonErrors,
    413: { ...ref('Error'), description: 'The body is too large' },
  },
} as const;

export const listSchema = {
  summary: 'The suppressed addresses, a page at a time, in address order',
  querystring: {
    type: 'object',
    additionalProperties: false,
    properties: {
      limit: { type: 'integer', minimum: 1, maximum: 1000, default: 100 },
      cursor: { type: 'string', maxLength: 700, description: 'The `next` of the page before' },
      since: {
        type: 'string',
        maxLength: 40,
        description: 'Only those added or renewed since then (ISO 8601, e.g. 2026-11-01)',
      },
    },
  },
  response: {
    200: {
      description: 'A page; `next` is absent on the last one',
      type: 'object',
      required: ['items'],
      properties: {
        items: { type: 'array', items: ref('Suppression') },
        next: { type: 'string' },
      },
    },
    ...commonErrors,
  },
} as const;

export const addSchema = {
  summary: 'Suppress an address by hand',
  params: addressParam,
  body: {
    type: ['object', 'null'],
    additionalProperties: false,
    properties: { reason: { type: 'string', maxLength: 500 } },
  },
  response: {
    200: { ...ref('Suppression'), description: 'It was suppressed already; nothing changed' },
    201: { ...ref('Suppression'), description: 'It is suppressed now' },
    ...commonErrors,
  },
} as const;

export const removeSchema = {
  summary: 'Take an address off the list (its history is kept)',
  params: addressParam,
  querystring: {
    type: 'object',
    additionalProperties: false,
    properties: { reason: { type: 'string', maxLength: 500 } },
  },
  response: {
    200: {
      description: 'It was removed',
      type: 'object',
      required: ['address', 'removed'],
      properties: { address: { type: 'string' }, removed: { type: 'boolean' } },
    },
    404: { ...ref('Error'), description: 'It was not suppressed' },
    ...commonErrors,
  },
} as const;

export const eventsSchema = {
  summary: 'Every event recorded for an address: the evidence',
  querystring: {
    type: 'object',
    required: ['address'],
    additionalProperties: false,
    properties: { address: { type: 'string', maxLength: 320 } },
  },
  response: {
    200: {
      description: 'The events, oldest first',
      type: 'object',
      required: ['address', 'events'],
      properties: { address: { type: 'string' }, events: { type: 'array', items: ref('Event') } },
    },
    ...commonErrors,
  },
} as const;

export const healthSchema = {
  security: [],
  summary: 'The process answers',
  response: {
    200: { type: 'object', required: ['ok'], properties: { ok: { type: 'boolean' } } },
  },
} as const;

export const readySchema = {
  security: [],
  summary: 'The database answers',
  response: {
    200: {
      type: 'object',
      required: ['ok'],
      properties: { ok: { type: 'boolean' }, problem: { type: 'string' } },
    },
    503: {
      type: 'object',
      required: ['ok'],
      properties: { ok: { type: 'boolean' }, problem: { type: 'string' } },
    },
  },
} as const;
