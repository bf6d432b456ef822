// A real SMTP server for the digest tests: smtp-server on a free port, keeping every
// message it accepts. It can refuse the next N messages with a 451 to play an outage.
import { type AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';

export interface ReceivedMail {
  readonly from: string;
  readonly to: readonly string[];
  readonly raw: Buffer;
}

export interface SmtpSink {
  readonly port: number;
  readonly received: ReceivedMail[];
  /** Refuse the next `n` messages at the end of DATA with "451 4.3.0 try again later". */
  refuseNext(n: number): void;
  stop(): Promise<void>;
}

export async function startSmtpSink(): Promise<SmtpSink> {
  const received: ReceivedMail[] = [];
  let refuse = 0;
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        if (refuse > 0) {
          refuse--;
          const err = Object.assign(new Error('4.3.0 try again later'), { responseCode: 451 });
          callback(err);
          return;
        }
        received.push({
          from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
          to: session.envelope.rcptTo.map((r) => r.address),
          raw: Buffer.concat(chunks),
        });
        callback();
      });
    },
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const port = (server.server.address() as AddressInfo).port;
  return {
    port,
    received,
    refuseNext(n) {
      refuse = n;
    },
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** What a user's config needs to send the digest to this sink. */
export function smtpEnvFor(sink: SmtpSink): Record<string, string> {
  return {
    BOUNCED_SMTP_HOST: '127.0.0.1',
    BOUNCED_SMTP_PORT: String(sink.port),
    BOUNCED_SMTP_TLS: 'none',
    BOUNCED_DIGEST_TO: 'ops@sender.example',
    BOUNCED_DIGEST_FROM: 'bounced@sender.example',
  };
}
