// `bounced run`: the daemon as the CLI starts it. Each mailbox's scans, on its schedule or
// from IDLE, in a lane of its own; the digest on its schedule, claimed so that one replica
// sends it; the HTTP API beside them; SIGTERM or SIGINT stops it.
import { hostname } from 'node:os';
import { digestMissed, previousRun, tickTime } from './daemon/previous-run.ts';
import { startPushScans } from './daemon/push-scans.ts';
import { type Job, startDaemon } from './daemon/run-daemon.ts';
import { onStopSignal } from './daemon/signals.ts';
import { EXIT } from './exit-codes.ts';
import { type App, digestOnce, scanOnce, startApi, watchMailbox } from './main.ts';
import { asDatabaseError } from './store/database.ts';
import { ScanLockedError } from './store/scan-lock-store.ts';

/** Runs until a stop signal; resolves to the exit code. */
export async function runDaemon(app: App, version: string): Promise<number> {
  const log = app.logger.child({ component: 'daemon' });
  // One job per mailbox, each in a lane of its own: a mailbox that hangs or fails
  // (a server down, a bad password) delays and stops no other. scan.mode=idle: its
  // scans come from IDLE, not from the schedule (unless the server has no IDLE).
  const mailboxes = app.config.mailboxes;
  const scanJob = (name: string) => `scan:${name}`;
  const jobs: Job[] = mailboxes.map((m) => ({
    name: scanJob(m.name),
    lane: scanJob(m.name),
    schedule: m.scan.mode === 'idle' ? undefined : m.scan.schedule,
    run: async (shouldStop) => {
      try {
        await scanOnce(app, { shouldStop, mailbox: m.name });
      } catch (err) {
        // Replicas on one PostgreSQL: another one is scanning this mailbox now. A
        // database error is logged in its words ("PostgreSQL refused the connection").
        if (!(err instanceof ScanLockedError)) throw asDatabaseError(err) ?? err;
        log.info({ mailbox: m.name, holder: err.holder }, 'mailbox scanned by another process; skipped');
      }
    },
  }));
  const digestReady = Boolean(app.config.smtp.host && app.config.digest.to && app.config.digest.from);
  let catchUp = false;
  // The due time of the digest caught up at start; then each tick's own.
  let catchUpDue: Date | undefined;
  const me = `${hostname()}:${process.pid}`;
  if (digestReady) {
    jobs.push({
      name: 'digest',
      schedule: app.config.digest.schedule,
      timezone: app.config.digest.timezone,
      run: async () => {
        // Each replica runs the schedule; the first to claim the due time sends.
        const due = catchUpDue ?? tickTime(app.config.digest.schedule);
        catchUpDue = undefined;
        if (!(await app.digests.claim(due, me))) {
          log.info({ due: due.toISOString() }, 'the digest of this period is sent by another replica');
          return;
        }
        try {
          const result = await digestOnce(app, 'send');
          app.metrics?.digest(result.outcome === 'sent' ? 'sent' : 'empty');
        } catch (err) {
          app.metrics?.digest('failed');
          throw asDatabaseError(err) ?? err;
        }
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
    if (catchUp) catchUpDue = due;
    log.info(
      { lastDue: due?.toISOString(), sendNow: catchUp },
      catchUp ? 'a digest fell due while bounced was down: sending it now' : 'digest scheduled',
    );
  } else {
    log.warn('digest disabled: set smtp.host, digest.to and digest.from to send it');
  }
  // The API first: a port already taken fails the start, before any scan.
  const api = app.config.http.listen ? await startApi(app, version) : undefined;
  const daemon = startDaemon({
    logger: log,
    jobs,
    atStart: [...mailboxes.map((m) => scanJob(m.name)), ...(catchUp ? ['digest'] : [])],
    stopTimeoutMs: app.config.daemon.stopTimeoutSeconds * 1000,
  });
  const push = mailboxes
    .filter((m) => m.scan.mode === 'idle')
    .map((m) =>
      startPushScans({
        watch: (onNewMail) => watchMailbox(app, onNewMail, m.name),
        scan: () => daemon.trigger(scanJob(m.name)),
        onUnsupported: (why) => {
          log.warn(
            { mailbox: m.name, why, schedule: m.scan.schedule },
            'no IMAP IDLE: scanning on scan.schedule instead',
          );
          daemon.schedule(scanJob(m.name), m.scan.schedule);
        },
        logger: app.logger.child({ component: 'idle', mailbox: m.name }),
      }),
    );
  const off = onStopSignal((signal) => void daemon.stop(signal));
  await daemon.done;
  off();
  await Promise.all(push.map((p) => p.stop()));
  await api?.close();
  return EXIT.ok;
}
