import type { Logger } from '../log/logger.ts';
import { buildDigest, type DigestMessage } from './build-digest.ts';
import { type DigestData, isEmpty } from './digest-data.ts';
import type { MailSender, OutgoingMail } from './mail-sender.ts';
import type { SentCounter } from './sent-count.ts';

/** The store as the digest sees it. */
export interface DigestSource {
  nextPeriodStart(): Promise<string>;
  collect(start: string, end: string, timezone: string): Promise<DigestData>;
  record(start: string, end: string, outcome: 'sent' | 'failed' | 'empty', error?: string): Promise<void>;
}

export interface DigestSettings {
  readonly to: string;
  readonly from: string;
  readonly timezone: string;
  readonly sendEmpty: boolean;
}

export interface DigestResult {
  readonly outcome: 'sent' | 'empty' | 'dry-run';
  readonly message: DigestMessage;
  /** The mail as it is (or would be) sent. */
  readonly mail: OutgoingMail;
  readonly periodStart: string;
  readonly periodEnd: string;
}

/**
 * One digest: everything since the last digest that was sent (so a failed send loses
 * nothing: the next one covers its period too). Marked sent only once the SMTP server has
 * accepted it. An empty period sends nothing unless `sendEmpty`.
 */
export async function runDigest(
  deps: {
    source: DigestSource;
    sender?: MailSender;
    /** digest.sentCount: how many messages were sent in the period, for the rates. */
    sentCounter?: SentCounter;
    settings: DigestSettings;
    logger: Logger;
    now?: () => Date;
  },
  mode: 'send' | 'dry-run',
): Promise<DigestResult> {
  const start = await deps.source.nextPeriodStart();
  const end = (deps.now ?? (() => new Date()))().toISOString();
  const collected = await deps.source.collect(start, end, deps.settings.timezone);
  const sent = deps.sentCounter ? await deps.sentCounter.count(start, end) : undefined;
  if (sent && 'unavailable' in sent)
    deps.logger.warn(
      { problem: sent.unavailable },
      'digest.sentCount failed: the digest shows counts, not rates',
    );
  const data = sent ? { ...collected, sent } : collected;
  const message = buildDigest(data);
  const mail: OutgoingMail = {
    from: deps.settings.from,
    to: deps.settings.to,
    subject: message.subject,
    text: message.text,
    html: message.html,
    attachments: message.attachments,
  };
  const result = { message, mail, periodStart: start, periodEnd: end };
  if (mode === 'dry-run') return { outcome: 'dry-run', ...result };
  if (isEmpty(data) && !deps.settings.sendEmpty) {
    await deps.source.record(start, end, 'empty');
    deps.logger.info({ periodStart: start, periodEnd: end }, 'digest: nothing new, not sent');
    return { outcome: 'empty', ...result };
  }
  if (!deps.sender) throw new Error('no mail sender configured');
  try {
    await deps.sender.send(mail);
  } catch (err) {
    await deps.source.record(start, end, 'failed', (err as Error).message);
    throw err;
  }
  await deps.source.record(start, end, 'sent');
  deps.logger.info(
    { periodStart: start, periodEnd: end, suppressions: data.newSuppressions.length, to: deps.settings.to },
    'digest sent',
  );
  return { outcome: 'sent', ...result };
}
