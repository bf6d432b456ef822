// The composition root: the only place that constructs components and wires them.
import { classify } from './classify/classify.ts';
import type { Config } from './config/config.ts';
import { requireMailbox } from './config/load-config.ts';
import { createLogger, type Logger } from './log/logger.ts';
import { ImapMailbox } from './mailbox/imap-mailbox.ts';
import { parseMessage } from './parse/parse-message.ts';
import { type Analyzed, runScan, type ScanResult } from './scan/scan.ts';
import { BounceStore } from './store/bounce-store.ts';
import { type Db, openDatabase } from './store/database.ts';
import { migrate } from './store/migrate.ts';
import { ScanRunStore } from './store/scan-run-store.ts';

export interface App {
  readonly config: Config;
  readonly logger: Logger;
  readonly db: Db;
  readonly bounces: BounceStore;
  readonly runs: ScanRunStore;
  close(): Promise<void>;
}

export interface OpenAppOptions {
  readonly logger?: Logger;
}

/** Opens the database (applying pending migrations) and builds the components. */
export async function openApp(config: Config, options: OpenAppOptions = {}): Promise<App> {
  const logger = options.logger ?? createLogger({ level: config.log.level });
  const db = openDatabase(config.database.url);
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
    close: () => db.destroy(),
  };
}

/** parse → classify, the analysis every entry point shares. */
export function analyzeMessage(source: Buffer, maxBytes?: number): Analyzed {
  const parsed = parseMessage(source, { maxBytes });
  return { message: parsed.message, analysis: classify(parsed) };
}

export interface ScanHooks {
  readonly shouldStop?: () => boolean;
  readonly afterCommit?: () => void | Promise<void>;
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
    },
    app.logger.child({ component: 'mailbox' }),
  );
  return runScan({
    mailbox,
    store: app.bounces,
    runs: app.runs,
    analyze: (source) => analyzeMessage(source, config.scan.maxMessageBytes),
    logger: app.logger.child({ component: 'scan' }),
    policy: config.policy,
    settings: {
      folder: imap.folder,
      processedFolder: imap.processedFolder,
      reviewFolder: imap.reviewFolder,
      batchSize: config.scan.batchSize,
      maxMessageBytes: config.scan.maxMessageBytes,
    },
    ...hooks,
  });
}
