import { Command, CommanderError } from 'commander';
import { parseFiles } from './commands/parse-files.ts';
import { printSuppressions } from './commands/print-suppressions.ts';
import { ConfigError } from './config/config.ts';
import { loadConfig, requireMailbox } from './config/load-config.ts';
import { envName } from './config/options.ts';
import { createWriteStream } from 'node:fs';
import { importSuppressions } from './commands/import-suppressions.ts';
import { printDetail } from './commands/print-detail.ts';
import { digestMissed, previousRun } from './daemon/previous-run.ts';
import { type Job, startDaemon } from './daemon/run-daemon.ts';
import { MailError } from './digest/mail-sender.ts';
import { exportSuppressions } from './export/export-suppressions.ts';
import { normalizeAddress } from './parse/address.ts';
import { onStopSignal } from './daemon/signals.ts';
import { EXIT } from './exit-codes.ts';
import { createLogger } from './log/logger.ts';
import { MailboxError } from './mailbox/mailbox.ts';
import { type App, checkHealth, digestOnce, openApp, scanOnce } from './main.ts';
import { asDatabaseError } from './store/database.ts';
import { ScanLockedError } from './store/scan-lock-store.ts';
import { signReturnPath } from './verp/verp.ts';
import { InputError } from './commands/input-error.ts';

interface GlobalOptions {
  config?: string;
}

/** Runs the CLI; resolves to the process exit code. */
export async function main(argv: readonly string[]): Promise<number> {
  let code: number = EXIT.ok;
  const program = new Command('bounced')
    .description(
      "Keeps an email sender's list clean: reads bounces from an IMAP mailbox, classifies them, records suppressions.",
    )
    .option('-c, --config <file>', 'YAML config file (default: built-in defaults and BOUNCED_* variables)')
    .showHelpAfterError()
    .exitOverride();

  const withApp = async (fn: (app: App) => Promise<number>): Promise<void> => {
    const config = loadConfig({ file: program.opts<GlobalOptions>().config });
    const app = await openApp(config);
    try {
      code = await fn(app);
    } finally {
      await app.close();
    }
  };

  program
    .command('run')
    .description('the daemon: scan and send the digest on their schedules until SIGTERM or SIGINT')
    .action(() =>
      withApp(async (app) => {
        requireMailbox(app.config);
        const log = app.logger.child({ component: 'daemon' });
        const jobs: Job[] = [
          {
            name: 'scan',
            schedule: app.config.scan.schedule,
            run: async (shouldStop) => {
              await scanOnce(app, { shouldStop });
            },
          },
        ];
        const digestReady = Boolean(app.config.smtp.host && app.config.digest.to && app.config.digest.from);
        let catchUp = false;
        if (digestReady) {
          jobs.push({
            name: 'digest',
            schedule: app.config.digest.schedule,
            timezone: app.config.digest.timezone,
            run: async () => {
              await digestOnce(app, 'send');
            },
          });
          // A digest that fell due while the daemon was down is sent at start.
          const due = previousRun(app.config.digest.schedule, app.config.digest.timezone, new Date());
          const lastAttempt = await app.digests.lastAttempt();
          catchUp = digestMissed({
            due,
            firstScan: await app.runs.firstStart(),
            lastAttempt: lastAttempt ? new Date(lastAttempt) : undefined,
          });
          log.info(
            { lastDue: due?.toISOString(), sendNow: catchUp },
            catchUp ? 'a digest fell due while bounced was down: sending it now' : 'digest scheduled',
          );
        } else {
          log.warn('digest disabled: set smtp.host, digest.to and digest.from to send it');
        }
        const daemon = startDaemon({
          logger: log,
          jobs,
          atStart: catchUp ? ['scan', 'digest'] : ['scan'],
          stopTimeoutMs: app.config.daemon.stopTimeoutSeconds * 1000,
        });
        const off = onStopSignal((signal) => void daemon.stop(signal));
        await daemon.done;
        off();
        return EXIT.ok;
      }),
    );

  program
    .command('scan')
    .description('scan the mailbox once: fetch, analyse, record and move every new message')
    .option('--once', 'one pass, then exit (the default; `bounced run` scans on a schedule)')
    .action(() =>
      withApp(async (app) => {
        let stop = false;
        const off = onStopSignal(() => {
          stop = true;
        });
        try {
          await scanOnce(app, { shouldStop: () => stop });
          return EXIT.ok;
        } finally {
          off();
        }
      }),
    );

  program
    .command('parse')
    .description('analyse .eml files without a mailbox')
    .argument('<files...>', 'message files')
    .option('--json', 'one JSON object per file, one per line')
    .option(
      '--generic-only',
      'turn every family dialect and provider rule off: how bounced reads mail from servers it has no dialect for',
    )
    .action((files: string[], opts: { json?: boolean; genericOnly?: boolean }) => {
      code = parseFiles(files, {
        json: Boolean(opts.json),
        genericOnly: Boolean(opts.genericOnly),
        out: (line) => process.stdout.write(`${line}\n`),
        err: (line) => process.stderr.write(`${line}\n`),
      });
    });

  const suppressions = program.command('suppressions').description('the suppression list');
  suppressions
    .command('list')
    .description('print the suppressed addresses')
    .option('--json', 'one JSON object per address, one per line')
    .option('--all', 'include removed addresses')
    .action((opts: { json?: boolean; all?: boolean }) =>
      withApp(async (app) => {
        await printSuppressions(
          app.bounces,
          Boolean(opts.json),
          (line) => process.stdout.write(`${line}\n`),
          Boolean(opts.all),
        );
        return EXIT.ok;
      }),
    );
  suppressions
    .command('add')
    .description('suppress an address by hand')
    .argument('<address>', 'the address')
    .option('--reason <text>', 'why, for the record')
    .action((address: string, opts: { reason?: string }) =>
      withApp(async (app) => {
        const normal = normalizeAddress(address);
        if (!normal) return badAddress(address);
        await app.suppressions.add(normal, opts.reason);
        process.stdout.write(`suppressed ${normal}\n`);
        return EXIT.ok;
      }),
    );
  suppressions
    .command('remove')
    .description('take an address off the list (its history is kept; a new hard bounce suppresses it again)')
    .argument('<address>', 'the address')
    .option('--reason <text>', 'why, for the record')
    .action((address: string, opts: { reason?: string }) =>
      withApp(async (app) => {
        const normal = normalizeAddress(address);
        if (!normal) return badAddress(address);
        const removed = await app.suppressions.remove(normal, opts.reason);
        process.stdout.write(removed ? `removed ${normal}\n` : `${normal} is not suppressed\n`);
        return removed ? EXIT.ok : EXIT.failed;
      }),
    );
  suppressions
    .command('show')
    .description("an address's suppression, the evidence behind it and its history")
    .argument('<address>', 'the address')
    .option('--json', 'as JSON')
    .action((address: string, opts: { json?: boolean }) =>
      withApp(async (app) => {
        const normal = normalizeAddress(address);
        if (!normal) return badAddress(address);
        const detail = await app.suppressions.show(normal);
        printDetail(normal, detail, Boolean(opts.json), (line) => process.stdout.write(`${line}\n`));
        return EXIT.ok;
      }),
    );
  suppressions
    .command('import')
    .description(
      'suppress the addresses in a CSV file (a column named email or address, else the first; an optional reason column)',
    )
    .argument('<file>', 'CSV file')
    .action((file: string) =>
      withApp(async (app) => {
        const result = await importSuppressions(app.suppressions, file);
        process.stdout.write(
          `imported ${result.imported} addresses${result.skipped.length ? `; skipped ${result.skipped.length}: ${result.skipped.slice(0, 5).join(', ')}` : ''}\n`,
        );
        return EXIT.ok;
      }),
    );

  program
    .command('digest')
    .description('the digest to ops: everything since the last digest sent')
    .option('--now', 'send it now through the configured SMTP server')
    .option('--dry-run', 'print it instead of sending (text part; --html for the HTML part)')
    .option('--html', 'with --dry-run: print the HTML part')
    .action((opts: { now?: boolean; dryRun?: boolean; html?: boolean }) =>
      withApp(async (app) => {
        if (!opts.now && !opts.dryRun) {
          process.stderr.write('bounced: digest needs --now (send) or --dry-run (print)\n');
          return EXIT.usage;
        }
        const result = await digestOnce(app, opts.dryRun ? 'dry-run' : 'send');
        if (result.outcome === 'dry-run') {
          process.stdout.write(
            `Subject: ${result.message.subject}\n\n${opts.html ? result.message.html : result.message.text}`,
          );
        } else {
          process.stdout.write(
            result.outcome === 'sent' ? 'digest sent\n' : 'nothing new since the last digest; not sent\n',
          );
        }
        return EXIT.ok;
      }),
    );

  program
    .command('export')
    .description('stream the suppression list as CSV or JSON')
    .option('--format <format>', 'csv or json', 'csv')
    .option(
      '--since <date>',
      'only suppressions added or renewed since this date (ISO 8601, e.g. 2026-11-01)',
    )
    .option('--output <file>', 'write to this file instead of standard output')
    .action((opts: { format: string; since?: string; output?: string }) =>
      withApp(async (app) => {
        if (opts.format !== 'csv' && opts.format !== 'json') {
          process.stderr.write(`bounced: --format must be csv or json, got "${opts.format}"\n`);
          return EXIT.usage;
        }
        const since = opts.since ? new Date(opts.since) : undefined;
        if (since && Number.isNaN(since.getTime())) {
          process.stderr.write(`bounced: --since must be a date such as 2026-11-01, got "${opts.since}"\n`);
          return EXIT.usage;
        }
        const out = opts.output ? createWriteStream(opts.output) : process.stdout;
        await exportSuppressions(app.db, out, { format: opts.format, since: since?.toISOString() });
        if (opts.output)
          await new Promise<void>((resolve, reject) =>
            out.end((err?: Error | null) => (err ? reject(err) : resolve())),
          );
        return EXIT.ok;
      }),
    );

  const verp = program
    .command('verp')
    .description('signed return paths (VERP), so that forged bounces cannot suppress');
  verp
    .command('sign')
    .description('print the signed return path to send a message to ADDRESS with')
    .argument('<address>', 'the recipient')
    .action((address: string) => {
      const config = loadConfig({ file: program.opts<GlobalOptions>().config });
      const normal = normalizeAddress(address);
      if (!normal) {
        code = badAddress(address);
        return;
      }
      if (!config.verp.secret?.length)
        throw new ConfigError(
          'verp.secret',
          `verp.secret is required to sign: set ${envName('verp.secret')} or ${envName('verp.secret')}_FILE`,
        );
      process.stdout.write(
        `${signReturnPath(normal, { secrets: config.verp.secret, format: config.verp.format, maxAgeDays: config.verp.maxAgeDays })}\n`,
      );
    });

  program
    .command('health')
    .description('check the database and the age of the last successful scan (exit 0 healthy, 1 not)')
    .action(() =>
      withApp(async (app) => {
        const health = await checkHealth(app);
        process.stdout.write(`${JSON.stringify(health)}\n`);
        return health.ok ? EXIT.ok : EXIT.failed;
      }),
    );

  program
    .command('migrate')
    .description('apply pending database migrations (also done at every start)')
    .action(() =>
      withApp(async (app) => {
        app.logger.info({ database: app.config.database.url }, 'database is up to date');
        return EXIT.ok;
      }),
    );

  try {
    await program.parseAsync([...argv]);
    return code;
  } catch (err) {
    return reportError(err);
  }
}

function reportError(err: unknown): number {
  if (err instanceof CommanderError) {
    return err.exitCode === 0 ? EXIT.ok : EXIT.usage;
  }
  const say = (kind: string, e: Error) => process.stderr.write(`bounced: ${kind}${e.message}\n`);
  if (err instanceof ConfigError) {
    say('config error: ', err);
    return EXIT.config;
  }
  if (err instanceof MailboxError) {
    say('mailbox error: ', err);
    return EXIT.unavailable;
  }
  if (err instanceof MailError) {
    say('mail error: ', err);
    return EXIT.unavailable;
  }
  if (err instanceof InputError) {
    say('', err);
    return EXIT.noInput;
  }
  if (err instanceof ScanLockedError) {
    say('', err);
    return EXIT.tempfail;
  }
  const database = asDatabaseError(err);
  if (database) {
    say('database error: ', database);
    return EXIT.database;
  }
  const logger = createLogger({ level: 'error' });
  logger.error({ err }, 'unexpected error');
  return EXIT.software;
}

function badAddress(address: string): number {
  process.stderr.write(`bounced: not an email address: "${address}"\n`);
  return EXIT.usage;
}
