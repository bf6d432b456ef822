import type { MimeEntity } from './mime/mime-entity.ts';
import type { MessageInfo, OriginalMessage } from './report.ts';

/** Depth-first search of an entity tree, enclosed messages included. */
export function findEntity(root: MimeEntity, match: (e: MimeEntity) => boolean): MimeEntity | undefined {
  if (match(root)) return root;
  for (const part of root.parts) {
    const found = findEntity(part, match);
    if (found) return found;
  }
  return root.message ? findEntity(root.message, match) : undefined;
}

/** Every entity of the tree, depth-first, enclosed messages included. */
export function* walkEntities(root: MimeEntity): Generator<MimeEntity> {
  yield root;
  for (const part of root.parts) yield* walkEntities(part);
  if (root.message) yield* walkEntities(root.message);
}

const RETURNED = new Set([
  'message/rfc822',
  'message/global',
  'text/rfc822-headers',
  'message/rfc822-headers',
  'message/global-headers',
]);

/** The headers of the returned original message (RFC 3462 §2, third part), if any. */
export function readOriginal(root: MimeEntity): OriginalMessage | undefined {
  const part = findEntity(root, (e) => RETURNED.has(e.contentType.mimeType) && e.message !== undefined);
  const h = part?.message?.headers;
  if (!h || h.size === 0) return undefined;
  return {
    messageId: cleanMessageId(h.get('message-id')),
    from: h.get('from'),
    to: h.get('to'),
    subject: h.get('subject'),
    returnPath: h.get('return-path'),
  };
}

export function readMessageInfo(root: MimeEntity): MessageInfo {
  const h = root.headers;
  return {
    messageId: cleanMessageId(h.get('message-id')),
    subject: h.get('subject'),
    from: h.get('from'),
    date: h.get('date'),
    // Raw values: addresses are ASCII (or UTF-8, RFC 6532), and this runs for every message.
    sentTo: h
      .entries()
      .filter(([n]) => n === 'delivered-to' || n === 'x-original-to' || n === 'to')
      .map(([, v]) => v),
  };
}

export function cleanMessageId(raw: string | undefined): string | undefined {
  if (!raw) return undefined;
  const m = /<([^<>\s]+)>/.exec(raw);
  const id = (m ? m[1] : raw.trim().split(/\s+/)[0])?.slice(0, 998);
  return id || undefined;
}

/** "dns; mx.example.com" → "mx.example.com" (RFC 3464 §2.2.2 mta-name-type). */
export function stripType(value: string | undefined): string | undefined {
  if (!value) return undefined;
  const s = value.replace(/^\s*[A-Za-z0-9-]{1,20}\s*;\s*/, '').trim();
  return s || undefined;
}

/** Folds runs of white space to one space; for diagnostics that were wrapped. */
export function foldSpace(value: string | undefined): string {
  return (value ?? '').replace(/\s+/g, ' ').trim();
}
