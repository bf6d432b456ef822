import { readFileSync } from 'node:fs';
import nodemailer, { type Transporter } from 'nodemailer';
import MailComposer from 'nodemailer/lib/mail-composer/index.js';
import { MailError, type MailSender, type OutgoingMail } from './mail-sender.ts';

export interface SmtpSettings {
  readonly host: string;
  readonly port: number;
  readonly tls: 'implicit' | 'starttls' | 'none';
  readonly tlsVerify: boolean;
  readonly ca?: string;
  readonly user?: string;
  readonly password?: string;
}

/** MailSender over nodemailer. nodemailer's types stay in this file. */
export class SmtpSender implements MailSender {
  private readonly transport: Transporter;

  constructor(private readonly settings: SmtpSettings) {
    this.transport = nodemailer.createTransport({
      host: settings.host,
      port: settings.port,
      // implicit: TLS from the first byte; starttls: the upgrade is required (no silent
      // plaintext); none: plaintext, only because it was chosen.
      secure: settings.tls === 'implicit',
      requireTLS: settings.tls === 'starttls',
      ignoreTLS: settings.tls === 'none',
      tls: {
        rejectUnauthorized: settings.tlsVerify,
        ...(settings.ca ? { ca: readFileSync(settings.ca) } : {}),
      },
      // With credentials configured, authentication is required: forceAuth makes nodemailer
      // log in even when the server does not offer AUTH (and so fail), instead of sending
      // the digest unauthenticated.
      ...(settings.user
        ? { auth: { user: settings.user, pass: settings.password ?? '' }, forceAuth: true }
        : {}),
      connectionTimeout: 30_000,
      greetingTimeout: 15_000,
      socketTimeout: 60_000,
    });
  }

  async send(mail: OutgoingMail): Promise<void> {
    try {
      await this.transport.sendMail(nodemailerMessage(mail));
    } catch (err) {
      const e = err as Error & { code?: string; response?: string; responseCode?: number };
      if (this.settings.user && e.code === 'EAUTH' && [500, 502, 503, 504].includes(e.responseCode ?? 0)) {
        throw new MailError(
          `${this.settings.host}:${this.settings.port} does not offer SMTP AUTH, and smtp.user is set: refusing to send the digest unauthenticated (server said: ${e.response ?? e.message})`,
          { cause: err },
        );
      }
      throw new MailError(
        `sending the digest through ${this.settings.host}:${this.settings.port} failed: ${[e.code, e.response ?? e.message].filter(Boolean).join(' ')}`,
        { cause: err },
      );
    }
  }

  close(): void {
    this.transport.close();
  }
}

function nodemailerMessage(mail: OutgoingMail) {
  return {
    from: mail.from,
    to: mail.to,
    subject: mail.subject,
    text: mail.text,
    html: mail.html,
    attachments: mail.attachments.map((a) => ({ ...a })),
  };
}

/** The MIME message nodemailer would send for MAIL, as bytes (`digest --dry-run --eml`). */
export async function composeMime(mail: OutgoingMail): Promise<Buffer> {
  return new MailComposer(nodemailerMessage(mail)).compile().build();
}
