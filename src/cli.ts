import { Command, CommanderError } from 'commander';
import { parseFiles } from './commands/parse-files.ts';
import { printSuppressions } from './commands/print-suppressions.ts';
import { ConfigError } from './config/config.ts';
import { loadConfig, requireMailbox } from './config/load-config.ts';
import { startDaemon } from './daemon/run-daemon.ts';
import { onStopSignal } from './daemon/signals.ts';
import { EXIT } from './exit-codes.ts';
import { createLogger } from './log/logger.ts';
import { MailboxError } from './mailbox/mailbox.ts';
import { type App, openApp, scanOnce } from './main.ts';
import { DatabaseError } from './store/database.ts';

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
    .description('the daemon: scan on the configured schedule until SIGTERM or SIGINT')
    .action(() =>
      withApp(async (app) => {
        requireMailbox(app.config);
        const log = app.logger.child({ component: 'daemon' });
        const daemon = startDaemon({
          logger: log,
          runAtStart: true,
          jobs: [
            {
              name: 'scan',
              schedule: app.config.scan.schedule,
              run: async (shouldStop) => {
                await scanOnce(app, { shouldStop });
              },
            },
          ],
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
    .action((files: string[], opts: { json?: boolean }) => {
      code = parseFiles(files, {
        json: Boolean(opts.json),
        out: (line) => process.stdout.write(`${line}\n`),
        err: (line) => process.stderr.write(`${line}\n`),
      });
    });

  const suppressions = program.command('suppressions').description('the suppression list');
  suppressions
    .command('list')
    .description('print the suppressed addresses')
    .option('--json', 'one JSON object per address, one per line')
    .action((opts: { json?: boolean }) =>
      withApp(async (app) => {
        await printSuppressions(app.bounces, Boolean(opts.json), (line) => process.stdout.write(`${line}\n`));
        return EXIT.ok;
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
  if (err instanceof DatabaseError) {
    say('database error: ', err);
    return EXIT.database;
  }
  const logger = createLogger({ level: 'error' });
  logger.error({ err }, 'unexpected error');
  return EXIT.software;
}
