import type { Logger } from '../log/logger.ts';
import { resolveFolder } from './folder-names.ts';
import { connectClient, type ImapSettings } from './imap-mailbox.ts';
import type { MailboxWatch, WatchOptions } from './mailbox.ts';

/**
 * A connection of its own, in IDLE (RFC 2177) on one folder, opened read-only (EXAMINE): the
 * scans use their own connections, so a scan never has to break the IDLE. imapflow ends
 * and begins IDLE again every `refreshMs` (maxIdleTime), and reports EXISTS responses as
 * 'exists' events.
 */
export async function watchFolder(
  settings: ImapSettings,
  folder: string,
  options: WatchOptions,
  logger: Logger,
): Promise<MailboxWatch | { unsupported: string }> {
  const client = await connectClient(settings, logger, { refreshMs: options.refreshMs });
  if (!client.capabilities.has('IDLE')) {
    await client.logout().catch(() => client.close());
    return { unsupported: `${settings.host}:${settings.port} does not offer IDLE (RFC 2177)` };
  }
  let closedByUs = false;
  let why = 'the server closed the connection';
  const ended = new Promise<{ closedByUs: boolean; reason: string }>((resolve) => {
    client.once('close', () => resolve({ closedByUs, reason: why }));
  });
  client.on('error', (err: Error) => {
    why = err.message;
  });
  try {
    const ns = client.namespace;
    const existing = new Set((await client.list()).map((f) => f.path));
    const path = resolveFolder(
      folder,
      ns ? { prefix: ns.prefix ?? '', delimiter: ns.delimiter ?? '' } : undefined,
      existing,
    );
    await client.mailboxOpen(path, { readOnly: true });
    // "* 12 EXISTS" with more than before: mail arrived. (imapflow counts the EXPUNGEs of
    // the scans' moves, seen on this connection too, so prevCount is the folder's size.)
    client.on('exists', (data: { count: number; prevCount: number }) => {
      if (data.count > data.prevCount) options.onNewMail();
    });
  } catch (err) {
    client.close();
    throw err;
  }
  // One call keeps IDLE going, restarting it every refreshMs, until the connection ends.
  void client.idle().catch((err: Error) => {
    why = err.message;
    client.close();
  });
  logger.info(
    { folder, refreshSeconds: Math.round(options.refreshMs / 1000) },
    'watching for new mail (IDLE)',
  );
  return {
    ended,
    async close() {
      closedByUs = true;
      await client.logout().catch(() => client.close());
      await ended;
    },
  };
}
