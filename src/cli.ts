import { Command, CommanderError } from 'commander';
import { printSuppressions } from './commands/print-suppressions.ts';
import { ConfigError } from './config/config.ts';
import { loadConfig, requireDigest, requireMailbox } from './config/load-config.ts';
import { envName } from './config/options.ts';
import { readFileSync } from 'node:fs';
import { userInfo } from 'node:os';
import { closeOutput, OutputError, openOutput, writeAll } from './commands/output-file.ts';
import { printable } from './text/printable.ts';
import type { Config } from './config/config.ts';
import { describeBad, ImportRefusedError } from './commands/import-suppressions.ts';
import { NoDatabaseError } from './store/database.ts';
import { importSuppressions } from './commands/import-suppressions.ts';
import { printDetail } from './commands/print-detail.ts';
import { MailError } from './digest/mail-sender.ts';
import { exportSuppressions } from './export/export-suppressions.ts';
import { parseMailbox } from './parse/address.ts';
import { onStopSignal } from './daemon/signals.ts';
import { EXIT } from './exit-codes.ts';
import { createLogger } from './log/logger.ts';
import { MailboxError } from './mailbox/mailbox.ts';
import { type App, checkHealth, digestOnce, mailboxConfig, openApp, scanOnce, startApi } from './main.ts';
import { runDaemon } from './run-command.ts';
import { asDatabaseError } from './store/database.ts';
import { ScanLockedError } from './store/scan-lock-store.ts';
import { signReturnPath } from './verp/verp.ts';
import { InputError } from './commands/input-error.ts';
import { redactedUrl } from './config/database-url.ts';
import { scanProgress } from './scan/progress.ts';

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
    .version(packageVersion(), '-V, --version', 'print the version and exit')
    .showHelpAfterError()
    .exitOverride();

  const config = () =>
    loadConfig({
      file: program.opts<GlobalOptions>().config,
      warn: (message) => process.stderr.write(`bounced: warning: ${message}\n`),
    });
  /**
   * Start-up order: the config, then what the command requires of it, and only then the
   * database. A read-only command never creates a database.
   */
  const withApp = async (
    fn: (app: App) => Promise<number>,
    options: { requires?: (config: Config) => void; readOnly?: boolean; metrics?: boolean } = {},
  ): Promise<void> => {
    const loaded = config();
    options.requires?.(loaded);
    const app = await openApp(loaded, { mustExist: options.readOnly, metrics: options.metrics });
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
      withApp((app) => runDaemon(app, packageVersion()), { requires: requireMailbox, metrics: true }),
    );

  program
    .command('serve')
    .description('serve the HTTP API and /metrics on http.listen, without scanning, until SIGTERM or SIGINT')
    .action(() =>
      withApp(
        async (app) => {
          const api = await startApi(app, packageVersion());
          await new Promise<void>((resolve) => {
            const off = onStopSignal((signal) => {
              off();
              app.logger.child({ component: 'api' }).info({ signal }, 'stopping');
              resolve();
            });
          });
          await api.close();
          return EXIT.ok;
        },
        { metrics: true },
      ),
    );

  program
    .command('scan')
    .description('scan the mailbox once: fetch, analyse, record and move every new message')
    .option('--once', 'one pass, then exit (the default; `bounced run` scans on a schedule)')
    .option('--quiet', 'no progress display or progress lines')
    .option('--mailbox <name>', 'scan only this mailbox of the `mailboxes` list (default: each in turn)')
    .action((opts: { quiet?: boolean; mailbox?: string }) =>
      withApp(
        async (app) => {
          let stop = false;
          const off = onStopSignal(() => {
            stop = true;
          });
          const names = opts.mailbox
            ? [mailboxConfig(app.config, opts.mailbox).name]
            : app.config.mailboxes.map((m) => m.name);
          try {
            // One mailbox failing does not keep the others from being scanned; the exit code
            // is the first failure's.
            let failed: number | undefined;
            for (const name of names) {
              if (stop) break;
              // A bar on a terminal, a progress line every few seconds in a log, or nothing.
              const progress = scanProgress({
                quiet: Boolean(opts.quiet),
                tty: Boolean(process.stderr.isTTY),
                logger: app.logger,
              });
              try {
                await scanOnce(app, { shouldStop: () => stop, progress, mailbox: name });
              } catch (err) {
                if (names.length === 1) throw err;
                failed ??= reportError(err, `mailbox ${name}: `);
              }
            }
            return failed ?? EXIT.ok;
          } finally {
            off();
          }
        },
        { requires: requireMailbox },
      ),
    );

  program
    .command('parse')
    .description('analyse .eml files without a mailbox')
    .argument('<files...>', 'message files; - reads one message from standard input')
    .option('--json', 'one JSON object per file, one per line')
    .option(
      '--generic-only',
      'turn every family dialect and provider rule off: how bounced reads mail from servers it has no dialect for',
    )
    .action(async (files: string[], opts: { json?: boolean; genericOnly?: boolean }) => {
      // The analysis is loaded here, not by every command: a scan runs it in its worker.
      const { parseFiles } = await import('./commands/parse-files.ts');
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
      withApp(
        async (app) => {
          await printSuppressions(
            app.bounces,
            Boolean(opts.json),
            (line) => process.stdout.write(`${line}\n`),
            Boolean(opts.all),
          );
          return EXIT.ok;
        },
        { readOnly: true },
      ),
    );
  suppressions
    .command('add')
    .description('suppress an address by hand')
    .argument('<address>', 'the address')
    .option('--reason <text>', 'why, for the record')
    .action((address: string, opts: { reason?: string }) =>
      withApp(async (app) => {
        const parsed = parseMailbox(address);
        if ('problem' in parsed) return badAddress(address, parsed.problem);
        const added = await app.suppressions.add(parsed.address, opts.reason);
        process.stdout.write(
          added
            ? `suppressed ${parsed.address}\n`
            : `${parsed.address} was already suppressed; nothing changed\n`,
        );
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
        const parsed = parseMailbox(address);
        if ('problem' in parsed) return badAddress(address, parsed.problem);
        const normal = parsed.address;
        const removed = await app.suppressions.remove(normal, opts.reason, `${whoAmI()} via the CLI`);
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
      withApp(
        async (app) => {
          const parsed = parseMailbox(address);
          if ('problem' in parsed) return badAddress(address, parsed.problem);
          const detail = await app.suppressions.show(parsed.address);
          printDetail(parsed.address, detail, Boolean(opts.json), (line) =>
            process.stdout.write(`${line}\n`),
          );
          return EXIT.ok;
        },
        { readOnly: true },
      ),
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
        const already = result.alreadySuppressed ? `; ${result.alreadySuppressed} already suppressed` : '';
        const bad = result.bad.length ? `; skipped ${result.bad.length} bad lines` : '';
        process.stdout.write(`imported ${result.imported} addresses${already}${bad}\n`);
        if (result.bad.length)
          process.stderr.write(
            printable(
              `bounced: skipped ${result.bad.length} lines that are not email addresses: ${describeBad(result.bad)}\n`,
            ),
          );
        return EXIT.ok;
      }),
    );

  program
    .command('digest')
    .description('the digest to ops: everything since the last digest sent')
    .option('--now', 'send it now through the configured SMTP server')
    .option('--dry-run', 'show it instead of sending: the text part (with its Subject line)')
    .option('--html', 'with --dry-run: the HTML part, a complete HTML document and nothing else')
    .option('--eml', 'with --dry-run: the whole MIME message that would be sent, CSV attached')
    .option('--output <file>', 'with --dry-run: write to this file instead of standard output')
    .action((opts: { now?: boolean; dryRun?: boolean; html?: boolean; eml?: boolean; output?: string }) => {
      if (!opts.now && !opts.dryRun) {
        process.stderr.write('bounced: digest needs --now (send) or --dry-run (print)\n');
        code = EXIT.usage;
        return;
      }
      if (opts.html && opts.eml) {
        process.stderr.write('bounced: digest takes --html or --eml, not both\n');
        code = EXIT.usage;
        return;
      }
      return withApp(
        async (app) => {
          // Opened before the digest is built: a path that cannot be created fails at once.
          const out = opts.output ? await openOutput(opts.output) : undefined;
          const result = await digestOnce(app, opts.dryRun ? 'dry-run' : 'send');
          let body: string | Buffer;
          if (result.outcome === 'dry-run') {
            const { message, mail } = result;
            // Unconfigured addresses still give a message a mail client opens.
            body = opts.eml
              ? await (
                  await import('./digest/smtp-sender.ts')
                ).composeMime({
                  ...mail,
                  from: mail.from || 'bounced@localhost',
                  to: mail.to || 'ops@localhost',
                })
              : opts.html
                ? message.html
                : `Subject: ${message.subject}\n\n${message.text}`;
          } else {
            body =
              result.outcome === 'sent' ? 'digest sent\n' : 'nothing new since the last digest; not sent\n';
          }
          await writeAll(out ?? process.stdout, body, opts.output);
          return EXIT.ok;
        },
        { requires: opts.now ? requireDigest : undefined, readOnly: Boolean(opts.dryRun) },
      );
    });

  program
    .command('export')
    .description('stream the suppression list as CSV or JSON')
    .option('--format <format>', 'csv or json', 'csv')
    .option(
      '--since <date>',
      'only suppressions added or renewed since this date (ISO 8601, e.g. 2026-11-01)',
    )
    .option('--output <file>', 'write to this file instead of standard output')
    .action((opts: { format: string; since?: string; output?: string }) => {
      // The arguments first: a typo is a usage error whether or not a database exists.
      const format = opts.format;
      if (format !== 'csv' && format !== 'json') {
        process.stderr.write(`bounced: --format must be csv or json, got "${format}"\n`);
        code = EXIT.usage;
        return;
      }
      const since = opts.since ? new Date(opts.since) : undefined;
      if (since && Number.isNaN(since.getTime())) {
        process.stderr.write(`bounced: --since must be a date such as 2026-11-01, got "${opts.since}"\n`);
        code = EXIT.usage;
        return;
      }
      return withApp(
        async (app) => {
          const out = opts.output ? await openOutput(opts.output) : process.stdout;
          await exportSuppressions(app.db, out, { format, since: since?.toISOString() });
          if (opts.output) await closeOutput(out, opts.output);
          return EXIT.ok;
        },
        { readOnly: true },
      );
    });

  const verp = program
    .command('verp')
    .description('signed return paths (VERP), so that forged bounces cannot suppress');
  verp
    .command('sign')
    .description('print the signed return path to send a message to ADDRESS with')
    .argument('<address>', 'the recipient')
    .action((address: string) => {
      const loaded = config();
      const parsed = parseMailbox(address);
      if ('problem' in parsed) {
        code = badAddress(address, parsed.problem);
        return;
      }
      const normal = parsed.address;
      if (!loaded.verp.secret?.length)
        throw new ConfigError(
          'verp.secret',
          `verp.secret is required to sign: set ${envName('verp.secret')} or ${envName('verp.secret')}_FILE`,
        );
      process.stdout.write(
        `${signReturnPath(normal, { secrets: loaded.verp.secret, format: loaded.verp.format, maxAgeDays: loaded.verp.maxAgeDays })}\n`,
      );
    });

  program
    .command('health')
    .description('check the database and the age of the last successful scan (exit 0 healthy, 1 not)')
    .action(async () => {
      try {
        await withApp(
          async (app) => {
            const health = await checkHealth(app);
            process.stdout.write(`${JSON.stringify(health)}\n`);
            return health.ok ? EXIT.ok : EXIT.failed;
          },
          { readOnly: true },
        );
      } catch (err) {
        // Before the first scan there is nothing to check: unhealthy, said as JSON like the rest.
        if (!(err instanceof NoDatabaseError)) throw err;
        process.stdout.write(`${JSON.stringify({ ok: false, database: 'missing', problem: err.message })}\n`);
        code = EXIT.failed;
      }
    });

  program
    .command('migrate')
    .description('apply pending database migrations (also done at every start)')
    .action(() =>
      withApp(async (app) => {
        app.logger.info({ database: redactedUrl(app.config.database.url) }, 'database is up to date');
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

/** Each kind of failure: the words before its message, and the exit code (see the README). */
const FAILURES: readonly (readonly [new (...args: never[]) => Error, string, number])[] = [
  [ConfigError, 'config error: ', EXIT.config],
  [MailboxError, 'mailbox error: ', EXIT.unavailable],
  [MailError, 'mail error: ', EXIT.unavailable],
  [InputError, '', EXIT.noInput],
  [NoDatabaseError, '', EXIT.noInput],
  [ImportRefusedError, '', EXIT.dataErr],
  [OutputError, '', EXIT.cantCreate],
  [ScanLockedError, '', EXIT.tempfail],
];

function reportError(err: unknown, about = ''): number {
  if (err instanceof CommanderError) {
    return err.exitCode === 0 ? EXIT.ok : EXIT.usage;
  }
  const say = (kind: string, e: Error) => process.stderr.write(`bounced: ${about}${kind}${e.message}\n`);
  for (const [type, kind, exit] of FAILURES)
    if (err instanceof type) {
      say(kind, err);
      return exit;
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

function badAddress(address: string, problem: string): number {
  process.stderr.write(`bounced: not an email address: ${JSON.stringify(address)} (${problem})\n`);
  return EXIT.usage;
}

/** The user running the command, for the record of a removal. */
function whoAmI(): string {
  try {
    return userInfo().username;
  } catch {
    return process.env.USER ?? 'someone';
  }
}

/** The version in package.json, two folders up from src/ or from dist/src/. */
function packageVersion(): string {
  for (const up of ['../package.json', '../../package.json']) {
    try {
      const pkg = JSON.parse(readFileSync(new URL(up, import.meta.url), 'utf8')) as {
        name?: string;
        version?: string;
      };
      if (pkg.name === 'bounced' && pkg.version) return pkg.version;
    } catch {
      // not this one
    }
  }
  return 'unknown';
}
