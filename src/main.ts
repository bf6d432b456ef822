// The composition root: the only place that constructs components and wires them.
import type { Config, MailboxConfig } from './config/config.ts';
import { requireDigest, requireMailbox } from './config/load-config.ts';
import { type DigestResult, runDigest } from './digest/run-digest.ts';
import { sentCounter } from './digest/sent-count.ts';
import { createLogger, type Logger } from './log/logger.ts';
import { ImapMailbox } from './mailbox/imap-mailbox.ts';
import { tokenSourceFor } from './mailbox/oauth2/token-source-for.ts';
import type { TokenSource } from './mailbox/oauth2/token-source.ts';
import { runScan, type ScanProgress, type ScanResult } from './scan/scan.ts';
import { BounceStore } from './store/bounce-store.ts';
import { DigestStore } from './store/digest-store.ts';
import { SuppressionStore } from './store/suppression-store.ts';
import { type Db, NoDatabaseError, openDatabase } from './store/database.ts';
import { redactedUrl } from './config/database-url.ts';
import { migrate } from './store/migrate.ts';
import { reportChecker } from './verp/report-check.ts';
import { BudgetedAnalyzer, defaultWorkers } from './scan/budgeted-analyzer.ts';
import { ScanLockStore, type ScanLocks } from './store/scan-lock-store.ts';
import { AdvisoryScanLocks } from './store/advisory-locks.ts';
import { hasMigrated, isPostgres } from './store/postgres.ts';
import { ScanRunStore } from './store/scan-run-store.ts';
import type { Metrics } from './metrics/metrics.ts';
import { MailboxError } from './mailbox/mailbox.ts';
import { SuppressionQueries } from './store/suppression-queries.ts';
import type { ScanStore } from './scan/scan.ts';
import type { ApiServer } from './api/api-server.ts';
import { suppressionKey } from './parse/address.ts';
import { ConfigError } from './config/config.ts';
import { envName } from './config/options.ts';

export interface App {
  readonly config: Config;
  readonly logger: Logger;
  readonly db: Db;
  readonly bounces: BounceStore;
  readonly runs: ScanRunStore;
  readonly suppressions: SuppressionStore;
  readonly digests: DigestStore;
  readonly locks: ScanLocks;
  readonly queries: SuppressionQueries;
  /** The Prometheus metrics, in the processes that serve them (run, serve). */
  readonly metrics?: Metrics;
  close(): Promise<void>;
}

export interface OpenAppOptions {
  readonly logger?: Logger;
  /** A read-only command: a missing database is an error, not a new empty one. */
  readonly mustExist?: boolean;
  /** Count what this process does for /metrics (prom-client is loaded only then). */
  readonly metrics?: boolean;
}

/** Opens the database (applying pending migrations) and builds the components. */
export async function openApp(config: Config, options: OpenAppOptions = {}): Promise<App> {
  const logger = options.logger ?? createLogger({ level: config.log.level });
  const db = openDatabase(config.database.url, { mustExist: options.mustExist });
  try {
    // A read-only command never creates the tables (as it never creates a SQLite file).
    if (options.mustExist && isPostgres(db) && !(await hasMigrated(db)))
      throw new NoDatabaseError(redactedUrl(config.database.url), 'no bounced tables in');
    const applied = await migrate(db);
    if (applied.length) logger.child({ component: 'store' }).info({ applied }, 'migrations applied');
  } catch (err) {
    await db.destroy();
    throw err;
  }
  const runs = new ScanRunStore(db);
  const names = config.mailboxes.map((m) => m.name);
  const queries = new SuppressionQueries(db);
  const metrics = options.metrics
    ? new (await import('./metrics/metrics.ts')).Metrics({
        activeSuppressions: () => queries.activeCount(),
        lastSuccess: () => byMailbox(names, (n) => runs.forMailbox(n).lastSuccess()),
        reviewWaiting: () => byMailbox(names, (n) => runs.forMailbox(n).lastReviewWaiting()),
      })
    : undefined;
  return {
    config,
    logger,
    db,
    bounces: new BounceStore(db, config.policy),
    runs,
    suppressions: new SuppressionStore(db),
    digests: new DigestStore(db, config.policy, names),
    // Replicas on one PostgreSQL: advisory locks, freed with the connection of a killed one.
    locks: isPostgres(db) ? new AdvisoryScanLocks(db) : new ScanLockStore(db),
    queries,
    metrics,
    close: () => db.destroy(),
  };
}

/** Each mailbox's value, leaving out those that have none. */
async function byMailbox<T>(names: readonly string[], read: (name: string) => Promise<T | undefined>) {
  const out = new Map<string, T>();
  for (const name of names) {
    const value = await read(name);
    if (value !== undefined) out.set(name, value);
  }
  return out;
}

/** A configured mailbox by name; the first (the only one, usually) by default. */
export function mailboxConfig(config: Config, name?: string): MailboxConfig {
  const found = name === undefined ? config.mailboxes[0] : config.mailboxes.find((m) => m.name === name);
  if (!found)
    throw new ConfigError(
      'mailboxes',
      `no mailbox named ${JSON.stringify(name)}: the config has ${config.mailboxes.map((m) => m.name).join(', ')}`,
    );
  return found;
}

export interface ScanHooks {
  readonly shouldStop?: () => boolean;
  readonly afterCommit?: () => void | Promise<void>;
  readonly afterFetch?: () => void;
  readonly progress?: ScanProgress;
  /** The mailbox to scan, by name (default: the first configured). */
  readonly mailbox?: string;
}

/** A configured mailbox, through the IMAP adapter. */
function mailboxOf(app: App, m: MailboxConfig): ImapMailbox {
  const imap = m.imap;
  return new ImapMailbox(
    {
      tokens: tokensOf(app, m),
      host: imap.host!,
      port: imap.port,
      tls: imap.tls,
      tlsVerify: imap.tlsVerify,
      ca: imap.ca,
      user: imap.user!,
      password: imap.password,
      accessToken: imap.accessToken,
      timeoutSeconds: imap.timeoutSeconds,
    },
    app.logger.child({ component: 'mailbox', mailbox: m.name }),
  );
}

/**
 * imap.auth=oauth2: the provider's tokens, one source per app and mailbox, so that every
 * connection (each scan's, the IDLE watch) shares the token in memory until it nears its expiry.
 */
const tokenSources = new WeakMap<App, Map<string, TokenSource>>();
function tokensOf(app: App, m: MailboxConfig): TokenSource | undefined {
  const { imap, oauth2 } = m;
  if (imap.auth !== 'oauth2' || !oauth2.provider) return undefined;
  const sources = tokenSources.get(app) ?? new Map<string, TokenSource>();
  tokenSources.set(app, sources);
  let source = sources.get(m.name);
  if (!source) {
    source = tokenSourceFor({ ...oauth2, provider: oauth2.provider, user: imap.user! });
    sources.set(m.name, source);
  }
  return source;
}

/** A connection in IDLE on a mailbox's folder (scan.mode=idle), calling onNewMail when mail arrives. */
export function watchMailbox(app: App, onNewMail: () => void, name?: string) {
  const m = mailboxConfig(app.config, name);
  return mailboxOf(app, m).watch(m.imap.folder, {
    refreshMs: m.scan.idleRefreshSeconds * 1000,
    onNewMail,
  });
}

/** One scan of a configured mailbox (hooks.mailbox; the first by default). */
export async function scanOnce(app: App, hooks: ScanHooks = {}): Promise<ScanResult> {
  const { config } = app;
  requireMailbox(config);
  const m = mailboxConfig(config, hooks.mailbox);
  const mailbox = mailboxOf(app, m);
  const name = m.name;
  const runs = app.runs.forMailbox(name);
  // One scan per mailbox and database at a time; a second one exits 75 (EX_TEMPFAIL).
  const lock = await app.locks.acquire(name);
  const started = performance.now();
  const seconds = () => (performance.now() - started) / 1000;
  try {
    // We hold the lock: a run still marked running was killed before it finished.
    const abandoned = await runs.markAbandoned();
    if (abandoned)
      app.logger
        .child({ component: 'scan', mailbox: name })
        .warn({ abandoned }, 'earlier scans were killed: marked interrupted');
    const bounces = app.bounces.forMailbox(name);
    const store = app.metrics ? countedStore(bounces, app.metrics, name) : bounces;
    const result = await runLockedScan(app, m, mailbox, store, runs, hooks, () => lock.heartbeat());
    app.metrics?.scanFinished(name, seconds(), result.interrupted ? 'interrupted' : 'ok');
    return result;
  } catch (err) {
    app.metrics?.scanFinished(name, seconds(), 'failed');
    if (err instanceof MailboxError) app.metrics?.imapFailure(name);
    throw err;
  } finally {
    await lock.release();
  }
}

/** The scan's store, counting each committed batch for the metrics. */
function countedStore(store: BounceStore, metrics: Metrics, mailbox: string): ScanStore {
  // The store itself for every other method (its prototype), with saveBatch counted.
  const counted = Object.create(store) as BounceStore;
  counted.saveBatch = async (records) => {
    const saved = await store.saveBatch(records);
    metrics.batchSaved(mailbox, records, saved.addedBy);
    return saved;
  };
  return counted;
}

async function runLockedScan(
  app: App,
  m: MailboxConfig,
  mailbox: ImapMailbox,
  store: ScanStore,
  runs: ScanRunStore,
  hooks: ScanHooks,
  heartbeat: () => Promise<void>,
): Promise<ScanResult> {
  const { config } = app;
  const imap = m.imap;
  const logger = app.logger.child({ component: 'scan', mailbox: m.name });
  const analyzer = new BudgetedAnalyzer(
    config.scan.analysisTimeoutMs,
    config.scan.maxMessageBytes,
    logger,
    config.scan.analysisWorkers || defaultWorkers(),
  );
  try {
    return await runScan({
      mailbox,
      store,
      runs,
      heartbeat,
      checkReport: reportChecker(
        {
          mode: config.verp.mode,
          sentLog: config.verp.sentLog,
          verp: {
            secrets: config.verp.secret ?? [],
            format: config.verp.format,
            maxAgeDays: config.verp.maxAgeDays,
          },
        },
        (id, recipient) => app.bounces.wasSent(id, recipient),
      ),
      analyze: (sources) => analyzer.analyzeAll(sources),
      warmUp: () => analyzer.warm(),
      logger,
      policy: config.policy,
      settings: {
        folder: imap.folder,
        processedFolder: imap.processedFolder,
        reviewFolder: imap.reviewFolder,
        batchSize: config.scan.batchSize,
        batchBytes: config.scan.batchBytes,
        maxMessageBytes: config.scan.maxMessageBytes,
      },
      shouldStop: hooks.shouldStop,
      afterCommit: hooks.afterCommit,
      afterFetch: hooks.afterFetch,
      progress: hooks.progress,
    });
  } finally {
    await analyzer.close();
  }
}

/** nodemailer is loaded by the commands that send mail, not by every scan. */
async function smtpSender() {
  return (await import('./digest/smtp-sender.ts')).SmtpSender;
}

/** One digest: sent through the configured SMTP server, or rendered (dry run). */
export async function digestOnce(app: App, mode: 'send' | 'dry-run'): Promise<DigestResult> {
  const { config } = app;
  if (mode === 'send') requireDigest(config);
  const sender =
    mode === 'send'
      ? new (await smtpSender())({
          host: config.smtp.host!,
          port: config.smtp.port,
          tls: config.smtp.tls,
          tlsVerify: config.smtp.tlsVerify,
          ca: config.smtp.ca,
          user: config.smtp.user,
          password: config.smtp.password,
        })
      : undefined;
  try {
    return await runDigest(
      {
        source: app.digests,
        sender,
        sentCounter: config.digest.sentCount ? sentCounter(config.digest.sentCount) : undefined,
        settings: {
          to: config.digest.to ?? '',
          from: config.digest.from ?? '',
          timezone: config.digest.timezone,
          sendEmpty: config.digest.sendEmpty,
        },
        logger: app.logger.child({ component: 'digest' }),
      },
      mode,
    );
  } finally {
    sender?.close();
  }
}

/**
 * The HTTP API on http.listen, over this app's stores (fastify is loaded only here). Manual
 * changes through it are recorded as the CLI's are, "via the API".
 */
export async function startApi(
  app: App,
  version: string,
): Promise<ApiServer & { readonly host: string; readonly port: number }> {
  const { listen, token } = app.config.http;
  if (!listen)
    throw new ConfigError(
      'http.listen',
      `http.listen is required to serve the API: set it in the config file or ${envName('http.listen')}`,
    );
  const { buildApi } = await import('./api/api-server.ts');
  const api = await buildApi({
    suppressions: {
      lookup: (address) => app.queries.lookup(address),
      suppressedKeys: (addresses) => app.queries.suppressedKeys(addresses),
      page: (options) => app.queries.page(options),
      add: async (address, reason) => {
        const added = await app.suppressions.add(address, reason);
        if (added) app.metrics?.manualAdd();
        return added;
      },
      remove: (address, reason, by) => app.suppressions.remove(address, reason, by),
      events: async (address) => (await app.suppressions.show(address)).events,
      keyOf: suppressionKey,
    },
    ready: async () => {
      try {
        await app.db.selectFrom('scan_runs').select('id').limit(1).execute();
        return { ok: true };
      } catch (err) {
        return { ok: false, problem: `database: ${(err as Error).message}` };
      }
    },
    metrics: async () =>
      app.metrics ? app.metrics.render() : { contentType: 'text/plain; version=0.0.4', body: '' },
    // loadConfig refuses http.listen without a token.
    token: token!,
    logger: app.logger.child({ component: 'api' }),
    version,
  });
  let at: { host: string; port: number };
  try {
    at = await api.listen(listen);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code !== 'EADDRINUSE' && code !== 'EACCES' && code !== 'EADDRNOTAVAIL' && code !== 'ENOTFOUND')
      throw err;
    const why = {
      EADDRINUSE: 'the port is in use',
      EACCES: 'not allowed (a port below 1024 needs privileges)',
      EADDRNOTAVAIL: 'no such address on this machine',
      ENOTFOUND: 'no such host',
    }[code];
    throw new ConfigError('http.listen', `http.listen: cannot listen on ${listen}: ${why} (${code})`);
  }
  return { ...api, ...at };
}

export interface MailboxHealth {
  readonly name: string;
  readonly ok: boolean;
  readonly lastScan?: string;
  readonly lastScanAgeMinutes?: number;
  /** The folders of the last scan as the server names them (INBOX.Processed under an INBOX. prefix). */
  readonly folders?: { readonly folder: string; readonly processed: string; readonly review: string };
  /** Its last scan failed: since when, and why. */
  readonly failing?: { readonly since: string; readonly error: string };
  readonly problem?: string;
}

export interface Health {
  readonly ok: boolean;
  readonly database: 'ok' | 'error';
  /** With one mailbox, its figures, as before there could be several. */
  readonly lastScan?: string;
  readonly lastScanAgeMinutes?: number;
  readonly folders?: MailboxHealth['folders'];
  /** Every configured mailbox; healthy only when each one is. */
  readonly mailboxes?: readonly MailboxHealth[];
  readonly problem?: string;
}

/** The database answers, and each mailbox's last successful scan is recent enough. */
export async function checkHealth(app: App, now = new Date()): Promise<Health> {
  try {
    await app.db.selectFrom('scan_runs').select('id').limit(1).execute();
  } catch (err) {
    return { ok: false, database: 'error', problem: `database: ${(err as Error).message}` };
  }
  const limit = app.config.health.maxScanAgeMinutes;
  const status = await app.runs.status(app.config.mailboxes.map((m) => m.name));
  const mailboxes: MailboxHealth[] = status.map((m) => {
    const failing = m.failing ? { failing: m.failing } : {};
    const folders = m.folders ? { folders: m.folders } : {};
    if (!m.lastSuccess)
      return {
        name: m.mailbox,
        ok: false,
        ...folders,
        ...failing,
        problem: m.failing ? `no successful scan yet; failing: ${m.failing.error}` : 'no successful scan yet',
      };
    const age = Math.round((now.getTime() - m.lastSuccess.getTime()) / 60_000);
    const problem =
      age > limit
        ? `last successful scan ${age} minutes ago (limit ${limit})${m.failing ? `; failing: ${m.failing.error}` : ''}`
        : undefined;
    return {
      name: m.mailbox,
      ok: age <= limit,
      lastScan: m.lastSuccess.toISOString(),
      lastScanAgeMinutes: age,
      ...folders,
      ...failing,
      ...(problem ? { problem } : {}),
    };
  });
  const single = mailboxes.length === 1 ? mailboxes[0]! : undefined;
  const problems = mailboxes.filter((m) => m.problem);
  return {
    ok: problems.length === 0,
    database: 'ok',
    ...(single?.lastScan ? { lastScan: single.lastScan, lastScanAgeMinutes: single.lastScanAgeMinutes } : {}),
    ...(single?.folders ? { folders: single.folders } : {}),
    mailboxes,
    ...(problems.length
      ? {
          problem: single ? single.problem : problems.map((m) => `${m.name}: ${m.problem}`).join('; '),
        }
      : {}),
  };
}
