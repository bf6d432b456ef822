import { readFileSync } from 'node:fs';
import type { ImapFlow, ImapFlowOptions } from 'imapflow';
import type { Logger } from '../log/logger.ts';
import {
  type FetchedMessage,
  type Mailbox,
  MailboxError,
  type MailboxFolder,
  type MailboxSession,
  type MailboxWatch,
  type WatchOptions,
} from './mailbox.ts';
import { resolveFolder } from './folder-names.ts';
import { watchFolder } from './imap-watch.ts';
import type { TokenSource } from './oauth2/token-source.ts';

export interface ImapSettings {
  readonly host: string;
  readonly port: number;
  readonly tls: 'implicit' | 'starttls' | 'none';
  readonly tlsVerify: boolean;
  readonly ca?: string;
  readonly user: string;
  readonly password?: string;
  /** A fixed access token (imap.accessToken). */
  readonly accessToken?: string;
  /** imap.auth=oauth2: tokens from the provider, refreshed by it. */
  readonly tokens?: TokenSource;
  /** How long the server may stay silent before the connection is given up. */
  readonly timeoutSeconds?: number;
  /** Messages listed per UID SEARCH (10,000). */
  readonly listWindow?: number;
}

/** The Mailbox boundary over imapflow. imapflow's types stay in this file. */
export class ImapMailbox implements Mailbox {
  constructor(
    private readonly settings: ImapSettings,
    private readonly logger: Logger,
  ) {}

  async connect(): Promise<MailboxSession> {
    const s = this.settings;
    const client = await connectClient(s, this.logger);
    return new ImapSession(client, this.logger, `${s.host}:${s.port}`, s.listWindow ?? LIST_WINDOW);
  }

  /** Watches a folder for new mail with IMAP IDLE (RFC 2177); see imap-watch.ts. */
  async watch(folder: string, options: WatchOptions): Promise<MailboxWatch | { unsupported: string }> {
    return watchFolder(this.settings, folder, options, this.logger);
  }
}

/**
 * A logged-in imapflow client (vendor types stay in the mailbox adapter). `idle` is for a
 * watching connection: IDLE restarted every `refreshMs`, and a socket allowed to stay
 * silent for that long.
 */
export async function connectClient(
  s: ImapSettings,
  logger: Logger,
  idle?: { refreshMs: number },
): Promise<ImapFlow> {
  if (!s.tokens) return login(s, logger, idle, s.accessToken);
  // A token the server refuses may have been revoked or have expired early: one more try
  // with a token fetched anew, then a refusal names the mailbox and the provider.
  for (let attempt = 0; ; attempt++) {
    let token: string;
    try {
      token = await s.tokens.token();
    } catch (err) {
      throw new MailboxError(
        'EAUTH',
        `IMAP login to ${s.host}:${s.port} as ${s.user}: ${(err as Error).message}`,
        {
          cause: err,
        },
      );
    }
    try {
      return await login(s, logger, idle, token);
    } catch (err) {
      if (!(err instanceof MailboxError) || err.code !== 'EAUTH') throw err;
      s.tokens.invalidate();
      if (attempt === 0) {
        logger.info(
          { provider: s.tokens.provider },
          'the OAuth2 token was refused; logging in again with a new one',
        );
        continue;
      }
      throw new MailboxError(
        'EAUTH',
        `IMAP login to ${s.host}:${s.port} as ${s.user} was refused with a new OAuth2 token from ${s.tokens.provider}: the provider issues tokens the server does not accept (revoked consent, or the app lacks IMAP access to this mailbox)`,
        { cause: err },
      );
    }
  }
}

async function login(
  s: ImapSettings,
  logger: Logger,
  idle: { refreshMs: number } | undefined,
  accessToken: string | undefined,
): Promise<ImapFlow> {
  const timeout = (s.timeoutSeconds ?? 60) * 1000;
  const options: ImapFlowOptions = {
    host: s.host,
    port: s.port,
    // tls=implicit: TLS from the first byte. tls=starttls: the upgrade is required
    // (doSTARTTLS: true fails when the server does not offer it, rather than going on in
    // plaintext). tls=none: plaintext, only because the user chose it.
    secure: s.tls === 'implicit',
    doSTARTTLS: s.tls === 'starttls' ? true : s.tls === 'none' ? false : undefined,
    tls: {
      rejectUnauthorized: s.tlsVerify,
      ...(s.ca ? { ca: readCa(s.ca) } : {}),
    },
    auth: accessToken ? { user: s.user, accessToken } : { user: s.user, pass: s.password ?? '' },
    logger: false,
    disableAutoIdle: true,
    // QRESYNC (RFC 7162 §3.2.10), where the server has it: a MOVE of 1,000 UIDs is answered
    // by one `* VANISHED 1:1000` rather than 1,000 `* n EXPUNGE` lines, each parsed on the
    // main thread. A 10,000-message scan took 4.08 s instead of 4.40 and ~0.4 CPU s less
    // (medians of 8, interleaved, Dovecot, 2026-12-02; 4.28 instead of 4.45 in a second 8).
    // Not for IDLE: that connection only waits for EXISTS.
    ...(idle ? {} : { qresync: true }),
    connectionTimeout: timeout,
    greetingTimeout: timeout,
    // Any silence longer than this, in any command, ends the connection: a stalled
    // server fails the scan instead of hanging it. In IDLE the server is silent until
    // mail comes, so a watching connection allows a refresh period and a minute more.
    socketTimeout: idle ? idle.refreshMs + 60_000 : timeout,
    // RFC 2177 §3: servers may end an IDLE after 30 minutes, so it is restarted before.
    ...(idle ? { maxIdleTime: idle.refreshMs } : {}),
  };
  // Loaded at the first login: the commands that never touch a mailbox (`suppressions`,
  // `export`, the Docker image's `health` every minute) started 0.25 s slower for loading
  // imapflow and its MIME and charset libraries.
  const { ImapFlow: Client } = await import('imapflow');
  const client = new Client(options);
  // imapflow emits 'error' for socket failures after connect; without a listener Node
  // would crash the process.
  client.on('error', (err: Error) => logger.warn({ err: err.message }, 'imap connection error'));
  try {
    await client.connect();
  } catch (err) {
    client.close();
    throw toMailboxError(err, s);
  }
  logger.debug({ host: s.host, port: s.port, tls: s.tls }, 'imap connected');
  return client;
}

function readCa(path: string): Buffer {
  try {
    return readFileSync(path);
  } catch (err) {
    throw new MailboxError('ETLS', `imap.ca: cannot read ${path}: ${(err as NodeJS.ErrnoException).code}`);
  }
}

class ImapSession implements MailboxSession {
  private folders?: Set<string>;
  /** Configured folder names → their full names on this server (see resolveFolder). */
  private readonly resolved = new Map<string, string>();

  constructor(
    private readonly client: ImapFlow,
    private readonly logger: Logger,
    private readonly where: string,
    private readonly listWindow: number,
  ) {}

  private async listFolders(): Promise<Set<string>> {
    return new Set(
      (await guard(this.client, this.where, 'LIST', () => this.client.list())).map((f) => f.path),
    );
  }

  /** A configured name as this server names it: resolved once, against the folder list. */
  private fullName(path: string): string {
    let full = this.resolved.get(path);
    if (full === undefined) {
      const ns = this.client.namespace;
      full = resolveFolder(
        path,
        ns ? { prefix: ns.prefix ?? '', delimiter: ns.delimiter ?? '' } : undefined,
        this.folders ?? new Set(),
      );
      this.resolved.set(path, full);
    }
    return full;
  }

  async ensureFolder(path: string): Promise<string> {
    this.folders ??= await this.listFolders();
    const full = this.fullName(path);
    if (full !== path)
      this.logger.info({ folder: path, resolved: full }, 'folder resolved in the personal namespace');
    if (this.folders.has(full)) return full;
    try {
      await this.client.mailboxCreate(full);
    } catch (err) {
      lost(this.client, this.where, `CREATE ${full}`, err);
      // RFC 5530's ALREADYEXISTS code is optional: Courier answers "Cannot create this
      // folder.", Cyrus "Mailbox already exists". A folder that is there now is a success.
      this.folders = await this.listFolders();
      if (this.folders.has(full)) return full;
      throw new MailboxError('EFOLDER', `cannot create folder ${full}: ${describe(err)}`, { cause: err });
    }
    this.folders.add(full);
    this.logger.info({ folder: full }, 'created folder');
    return full;
  }

  async open(path: string): Promise<MailboxFolder> {
    let info: Awaited<ReturnType<ImapFlow['mailboxOpen']>>;
    try {
      info = await this.client.mailboxOpen(this.fullName(path));
    } catch (err) {
      lost(this.client, this.where, `SELECT ${this.fullName(path)}`, err);
      throw new MailboxError('EFOLDER', `cannot open folder ${this.fullName(path)}: ${describe(err)}`, {
        cause: err,
      });
    }
    const modseq = info.highestModseq === undefined || info.noModseq ? undefined : String(info.highestModseq);
    // The folder keeps its configured name (the database's key for it); IMAP commands get
    // the full names.
    return new ImapFolder(
      this.client,
      path,
      (name) => this.fullName(name),
      Number(info.uidValidity),
      this.where,
      this.listWindow,
      modseq,
      Number(info.uidNext),
    );
  }

  async count(path: string): Promise<number> {
    const full = this.fullName(path);
    const status = await guard(this.client, this.where, `STATUS ${full}`, () =>
      this.client.status(full, { messages: true }),
    );
    return status ? (status.messages ?? 0) : 0;
  }

  async close(): Promise<void> {
    try {
      await this.client.logout();
    } catch {
      this.client.close();
    }
  }
}

/** Messages listed per UID SEARCH. */
const LIST_WINDOW = 10_000;

class ImapFolder implements MailboxFolder {
  constructor(
    private readonly client: ImapFlow,
    readonly path: string,
    private readonly fullName: (name: string) => string,
    readonly uidValidity: number,
    private readonly where: string,
    private readonly listWindow: number,
    readonly highestModseq?: string,
    private readonly uidNext?: number,
  ) {}

  get fullPath(): string {
    return this.fullName(this.path);
  }

  async currentModseq(): Promise<string | undefined> {
    if (this.highestModseq === undefined) return undefined;
    const full = this.fullName(this.path);
    const status = await guard(this.client, this.where, `STATUS ${full}`, () =>
      this.client.status(full, { highestModseq: true, uidNext: true }),
    );
    if (!status || status.highestModseq === undefined) return undefined;
    // One STATUS answers both at once: a message appended since SELECT has raised UIDNEXT.
    if (status.uidNext !== this.uidNext) return undefined;
    return String(status.highestModseq);
  }

  async listUids(): Promise<number[]> {
    // In windows of message numbers: one SEARCH answer for 100,000 messages is a 600 KB
    // line that imapflow turns into 100,000 tokens at once, the scan's peak of memory.
    // Nothing is moved while the list is read, so the numbers stay put.
    const exists = this.client.mailbox ? this.client.mailbox.exists : 0;
    const size = this.listWindow;
    if (exists <= size) return this.searchUids();
    // Someone else expunged a message meanwhile: the numbers moved and a window may have
    // missed one, so ask once for the whole folder. imapflow reports an EXPUNGE and each UID
    // of a VANISHED (QRESYNC) as an 'expunge' event (only EXPUNGE lowers `exists`). Dovecot
    // holds another session's expunges back while UID SEARCH runs; other servers may not.
    let expunged = false;
    const onExpunge = () => {
      expunged = true;
    };
    this.client.on('expunge', onExpunge);
    const all: number[] = [];
    try {
      for (let lo = 1; lo <= exists; lo += size)
        for (const uid of await this.searchUids(`${lo}:${Math.min(exists, lo + size - 1)}`)) all.push(uid);
    } finally {
      this.client.off('expunge', onExpunge);
    }
    if (expunged) return this.searchUids();
    return [...new Set(all)].sort((a, b) => a - b);
  }

  /** UID SEARCH of the messages not flagged \Deleted, among message numbers SEQ (all by default). */
  private async searchUids(seq?: string): Promise<number[]> {
    const uids = await guard(this.client, this.where, 'UID SEARCH', () =>
      this.client.search(seq ? { seq, deleted: false } : { deleted: false }, { uid: true }),
    );
    // imapflow answers a failed SEARCH with false: an empty folder is [], never that.
    if (uids === false || uids === undefined) {
      lost(this.client, this.where, 'UID SEARCH');
      throw new MailboxError('EPROTOCOL', `IMAP UID SEARCH in ${this.path} on ${this.where} failed`);
    }
    return uids.sort((a, b) => a - b);
  }

  async fetch(uids: readonly number[], maxBytes: number): Promise<FetchedMessage[]> {
    if (uids.length === 0) return [];
    const out: FetchedMessage[] = [];
    await guard(this.client, this.where, 'UID FETCH', async () => {
      // Collect first, act after: no other command may be sent inside a fetch loop.
      for await (const msg of this.client.fetch(
        uidSet(uids),
        { uid: true, source: { start: 0, maxLength: maxBytes } },
        { uid: true },
      )) {
        if (msg.source) out.push({ uid: msg.uid, source: msg.source });
      }
    });
    // A connection that closed mid-FETCH can end the loop early without an error.
    lost(this.client, this.where, 'UID FETCH');
    return out;
  }

  async move(uids: readonly number[], folder: string): Promise<void> {
    if (uids.length === 0) return;
    const target = this.fullName(folder);
    const range = uidSet(uids);
    const caps = this.client.capabilities;
    if (caps.has('MOVE')) {
      const moved = await guard(this.client, this.where, `UID MOVE to ${target}`, () =>
        this.client.messageMove(range, target, { uid: true }),
      );
      if (!moved) {
        lost(this.client, this.where, `UID MOVE to ${target}`);
        throw new MailboxError('EPROTOCOL', `UID MOVE to ${target} failed`);
      }
      return;
    }
    // No MOVE (RFC 6851 §3.3 fallback): COPY, and only when the copy succeeded, \Deleted
    // and UID EXPUNGE of exactly these UIDs. Without UIDPLUS a plain EXPUNGE would also
    // remove other \Deleted messages that are not ours, so they are only flagged, and
    // listUids() skips \Deleted messages.
    const copied = await guard(this.client, this.where, `UID COPY to ${target}`, () =>
      this.client.messageCopy(range, target, { uid: true }),
    );
    if (!copied) {
      lost(this.client, this.where, `UID COPY to ${target}`);
      throw new MailboxError('EPROTOCOL', `UID COPY to ${target} failed; nothing was deleted`);
    }
    if (caps.has('UIDPLUS')) {
      const expunged = await guard(this.client, this.where, 'UID EXPUNGE', () =>
        this.client.messageDelete(range, { uid: true }),
      );
      if (!expunged) {
        lost(this.client, this.where, 'UID EXPUNGE');
        throw new MailboxError('EPROTOCOL', `UID EXPUNGE after copying to ${target} failed`);
      }
    } else {
      await guard(this.client, this.where, 'UID STORE', () =>
        this.client.messageFlagsAdd(range, ['\\Deleted'], { uid: true }),
      );
    }
  }
}

/**
 * Runs one IMAP command; any failure of it is a MailboxError that names the command and,
 * when the connection is gone, says so ("connection to mx:993 lost during UID FETCH").
 */
async function guard<T>(client: ImapFlow, where: string, command: string, run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (err) {
    if (err instanceof MailboxError) throw err;
    lost(client, where, command, err);
    throw new MailboxError('EPROTOCOL', `IMAP ${command} on ${where} failed: ${describe(err)}`, {
      cause: err,
    });
  }
}

/** Throws when the connection is no longer usable: the real cause of a failed command. */
function lost(client: ImapFlow, where: string, command: string, cause?: unknown): void {
  if (client.usable) return;
  const why = cause ? describe(cause) : '';
  throw new MailboxError(
    'ECONNECT',
    `connection to IMAP server ${where} lost during ${command}${why && !/not available/i.test(why) ? ` (${why})` : ''}`,
    { cause },
  );
}

/** Ascending UIDs → a compact IMAP sequence set: 1:5,9,12:14. */
export function uidSet(uids: readonly number[]): string {
  const sorted = [...uids].sort((a, b) => a - b);
  const ranges: string[] = [];
  let start = sorted[0]!;
  let prev = start;
  for (const uid of sorted.slice(1)) {
    if (uid === prev + 1) {
      prev = uid;
      continue;
    }
    ranges.push(start === prev ? `${start}` : `${start}:${prev}`);
    start = prev = uid;
  }
  ranges.push(start === prev ? `${start}` : `${start}:${prev}`);
  return ranges.join(',');
}

const TLS_CODES = /^(ERR_TLS|ERR_SSL|DEPTH_ZERO|SELF_SIGNED|UNABLE_TO|CERT_|ERR_OSSL)/;

function toMailboxError(err: unknown, s: ImapSettings): MailboxError {
  const e = err as Error & {
    code?: string;
    authenticationFailed?: boolean;
    tlsFailed?: boolean;
    responseText?: string;
  };
  const where = `${s.host}:${s.port}`;
  if (e.authenticationFailed) {
    return new MailboxError(
      'EAUTH',
      `IMAP login to ${where} as ${s.user} was refused: wrong user or ${s.accessToken || s.tokens ? 'access token' : 'password'}${e.responseText ? ` (server said: ${e.responseText})` : ''}`,
      { cause: err },
    );
  }
  if (e.tlsFailed || e.message === 'Server does not support STARTTLS') {
    return new MailboxError(
      'ENOSTARTTLS',
      `${where} does not offer STARTTLS, and imap.tls=starttls requires it; refusing to log in over plaintext (set imap.tls=none only for a trusted network)`,
      { cause: err },
    );
  }
  // TLS from the first byte, and the server answered in plaintext ("* OK …"): port 143.
  if (
    s.tls === 'implicit' &&
    e.code &&
    /WRONG_VERSION_NUMBER|PACKET_LENGTH_TOO_LONG|UNKNOWN_PROTOCOL|RECORD_LAYER_FAILURE/i.test(
      `${e.code} ${e.message}`,
    )
  ) {
    return new MailboxError(
      'ETLS',
      `the server did not speak TLS on port ${s.port} of ${s.host}; try imap.tls=starttls (or imap.port=993 for implicit TLS)`,
      { cause: err },
    );
  }
  if (e.code && TLS_CODES.test(e.code)) {
    return new MailboxError(
      'ETLS',
      `TLS with ${where} failed: ${e.code}${/CERT|SIGNED|UNABLE/.test(e.code) ? ' (certificate not trusted: set imap.ca, or imap.tlsVerify=false to skip verification)' : ''}`,
      { cause: err },
    );
  }
  if (e.code === 'ECONNREFUSED')
    return new MailboxError(
      'ECONNECT',
      `connection refused by ${where}: is the IMAP server running, and is ${s.port} its port?`,
      { cause: err },
    );
  if (e.code === 'ENOTFOUND' || e.code === 'EAI_AGAIN')
    return new MailboxError('ECONNECT', `cannot resolve the IMAP server's name ${s.host} (${e.code})`, {
      cause: err,
    });
  return new MailboxError('ECONNECT', `cannot connect to IMAP server ${where}: ${describe(err)}`, {
    cause: err,
  });
}

function describe(err: unknown): string {
  const e = err as Error & { code?: string; responseText?: string };
  return [e.code, e.responseText ?? e.message].filter(Boolean).join(' ');
}
