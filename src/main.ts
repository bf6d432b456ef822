// The composition root: the only place that constructs components and wires them.
import type { Config } from './config/config.ts';
import { requireDigest, requireMailbox } from './config/load-config.ts';
import { type DigestResult, runDigest } from './digest/run-digest.ts';
import { sentCounter } from './digest/sent-count.ts';
import { createLogger, type Logger } from './log/logger.ts';
import { ImapMailbox } from './mailbox/imap-mailbox.ts';
import { runScan, type ScanProgress, type ScanResult } from './scan/scan.ts';
import { BounceStore } from './store/bounce-store.ts';
import { DigestStore } from './store/digest-store.ts';
import { SuppressionStore } from './store/suppression-store.ts';
import { type Db, openDatabase } from './store/database.ts';
import { migrate } from './store/migrate.ts';
import { reportChecker } from './verp/report-check.ts';
import { BudgetedAnalyzer, defaultWorkers } from './scan/budgeted-analyzer.ts';
import { ScanLockStore } from './store/scan-lock-store.ts';
import { ScanRunStore } from './store/scan-run-store.ts';

export interface App {
  readonly config: Config;
  readonly logger: Logger;
  readonly db: Db;
  readonly bounces: BounceStore;
  readonly runs: ScanRunStore;
  readonly suppressions: SuppressionStore;
  readonly digests: DigestStore;
  readonly locks: ScanLockStore;
  close(): Promise<void>;
}

export interface OpenAppOptions {
  readonly logger?: Logger;
  /** A read-only command: a missing database is an error, not a new empty one. */
  readonly mustExist?: boolean;
}

/** Opens the database (applying pending migrations) and builds the components. */
export async function openApp(config: Config, options: OpenAppOptions = {}): Promise<App> {
  const logger = options.logger ?? createLogger({ level: config.log.level });
  const db = openDatabase(config.database.url, { mustExist: options.mustExist });
  try {
    const applied = await migrate(db);
    if (applied.length) logger.child({ component: 'store' }).info({ applied }, 'migrations applied');
  } catch (err) {
    await db.destroy();
    throw err;
  }
  return {
    config,
    logger,
    db,
    bounces: new BounceStore(db, config.policy),
    runs: new ScanRunStore(db),
    suppressions: new SuppressionStore(db),
    digests: new DigestStore(db, config.policy),
    locks: new ScanLockStore(db),
    close: () => db.destroy(),
  };
}

export { analyzeMessage, type AnalyzeOptions } from './analyze-message.ts';

export interface ScanHooks {
  readonly shouldStop?: () => boolean;
  readonly afterCommit?: () => void | Promise<void>;
  readonly afterFetch?: () => void;
  readonly progress?: ScanProgress;
}

/** One scan of the configured mailbox. */
export async function scanOnce(app: App, hooks: ScanHooks = {}): Promise<ScanResult> {
  const { config } = app;
  requireMailbox(config);
  const imap = config.imap;
  const mailbox = new ImapMailbox(
    {
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
    app.logger.child({ component: 'mailbox' }),
  );
  // One scan per mailbox and database at a time; a second one exits 75 (EX_TEMPFAIL).
  const lock = await app.locks.acquire(`${imap.user}@${imap.host}/${imap.folder}`);
  try {
    // We hold the lock: a run still marked running was killed before it finished.
    const abandoned = await app.runs.markAbandoned();
    if (abandoned)
      app.logger
        .child({ component: 'scan' })
        .warn({ abandoned }, 'earlier scans were killed: marked interrupted');
    return await runLockedScan(app, mailbox, hooks, () => lock.heartbeat());
  } finally {
    await lock.release();
  }
}

async function runLockedScan(
  app: App,
  mailbox: ImapMailbox,
  hooks: ScanHooks,
  heartbeat: () => Promise<void>,
): Promise<ScanResult> {
  const { config } = app;
  const imap = config.imap;
  const logger = app.logger.child({ component: 'scan' });
  const analyzer = new BudgetedAnalyzer(
    config.scan.analysisTimeoutMs,
    config.scan.maxMessageBytes,
    logger,
    config.scan.analysisWorkers || defaultWorkers(),
  );
  try {
    return await runScan({
      mailbox,
      store: app.bounces,
      runs: app.runs,
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
      ...hooks,
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

export interface Health {
  readonly ok: boolean;
  readonly database: 'ok' | 'error';
  readonly lastScan?: string;
  readonly lastScanAgeMinutes?: number;
  readonly problem?: string;
}

/** The database answers, and the last successful scan is recent enough. */
export async function checkHealth(app: App, now = new Date()): Promise<Health> {
  try {
    await app.db.selectFrom('scan_runs').select('id').limit(1).execute();
  } catch (err) {
    return { ok: false, database: 'error', problem: `database: ${(err as Error).message}` };
  }
  const last = await app.runs.lastSuccess();
  if (!last) return { ok: false, database: 'ok', problem: 'no successful scan yet' };
  const age = Math.round((now.getTime() - last.getTime()) / 60_000);
  const limit = app.config.health.maxScanAgeMinutes;
  return {
    ok: age <= limit,
    database: 'ok',
    lastScan: last.toISOString(),
    lastScanAgeMinutes: age,
    ...(age > limit ? { problem: `last successful scan ${age} minutes ago (limit ${limit})` } : {}),
  };
}
