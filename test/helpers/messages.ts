// Small, clear-cut messages for the scan tests. Real samples live in test/fixtures.

export interface DsnRecipient {
  readonly address: string;
  readonly action?: string;
  readonly status: string;
  readonly diagnostic?: string;
}

let counter = 0;

/** An RFC 3464 DSN as Postfix writes one, with the returned message's headers. */
export function makeDsn(options: {
  recipients: readonly DsnRecipient[];
  messageId?: string;
  originalMessageId?: string;
  reportingMta?: string;
}): Buffer {
  const n = counter++;
  const boundary = `B${n}.${Date.now()}/mx.sender.example`;
  const id = options.messageId ?? `dsn-${n}-${Math.random().toString(36).slice(2)}@mx.sender.example`;
  const original = options.originalMessageId ?? `orig-${n}@sender.example`;
  const groups = options.recipients.map((r) =>
    [
      `Final-Recipient: rfc822; ${r.address}`,
      `Original-Recipient: rfc822;${r.address}`,
      `Action: ${r.action ?? 'failed'}`,
      `Status: ${r.status}`,
      'Remote-MTA: dns; mx.receiver.example',
      `Diagnostic-Code: smtp; ${r.diagnostic ?? `550 ${r.status} <${r.address}>: Recipient address rejected: User unknown`}`,
    ].join('\r\n'),
  );
  return Buffer.from(
    [
      'Return-Path: <>',
      'From: MAILER-DAEMON@mx.sender.example (Mail Delivery System)',
      'To: bounces@sender.example',
      `Subject: Undelivered Mail Returned to Sender`,
      `Message-ID: <${id}>`,
      'Date: Mon, 16 Nov 2026 10:00:00 +0000',
      'MIME-Version: 1.0',
      `Content-Type: multipart/report; report-type=delivery-status; boundary="${boundary}"`,
      '',
      `--${boundary}`,
      'Content-Type: text/plain; charset=us-ascii',
      '',
      "I'm sorry to have to inform you that your message could not be delivered.",
      '',
      `--${boundary}`,
      'Content-Type: message/delivery-status',
      '',
      `Reporting-MTA: dns; ${options.reportingMta ?? 'mx.sender.example'}`,
      'Arrival-Date: Mon, 16 Nov 2026 09:59:58 +0000',
      '',
      groups.join('\r\n\r\n'),
      '',
      `--${boundary}`,
      'Content-Type: text/rfc822-headers',
      '',
      'From: news@sender.example',
      `To: ${options.recipients[0]?.address ?? 'someone@receiver.example'}`,
      'Subject: November newsletter',
      `Message-ID: <${original}>`,
      '',
      `--${boundary}--`,
      '',
    ].join('\r\n'),
  );
}

/** An ordinary message that reached the bounce mailbox: not a report. */
export function makeOrdinaryMail(subject = 'Re: your invoice'): Buffer {
  const n = counter++;
  return Buffer.from(
    [
      'From: Customer <customer@receiver.example>',
      'To: bounces@sender.example',
      `Subject: ${subject}`,
      `Message-ID: <plain-${n}-${Math.random().toString(36).slice(2)}@receiver.example>`,
      'Date: Mon, 16 Nov 2026 11:00:00 +0000',
      'Content-Type: text/plain; charset=utf-8',
      '',
      'Hello, the 550 error you mention is undeliverable to me. Please call me.',
      '',
    ].join('\r\n'),
  );
}

/**
 * An ARF report (RFC 5965) of FEEDBACK_TYPE about a message to RECIPIENT; an auth-failure
 * one carries RFC 6591's Auth-Failure and Reported-Domain fields. No type: no field.
 */
export function makeArf(options: {
  recipient: string;
  feedbackType?: string;
  arrivalDate?: string;
  date?: string;
}): Buffer {
  const n = counter++;
  const boundary = `ARF${n}.${Date.now()}`;
  const type = options.feedbackType;
  return Buffer.from(
    [
      'From: feedback@fbl.receiver.example',
      'To: abuse@sender.example',
      `Subject: FW: November newsletter`,
      `Message-ID: <arf-${n}-${Math.random().toString(36).slice(2)}@fbl.receiver.example>`,
      `Date: ${options.date ?? 'Tue, 17 Nov 2026 08:00:00 +0000'}`,
      'MIME-Version: 1.0',
      `Content-Type: multipart/report; report-type=feedback-report; boundary="${boundary}"`,
      '',
      `--${boundary}`,
      'Content-Type: text/plain; charset=us-ascii',
      '',
      'This is an email abuse report for an email message received from IP 192.0.2.1.',
      '',
      `--${boundary}`,
      'Content-Type: message/feedback-report',
      '',
      ...(type ? [`Feedback-Type: ${type}`] : []),
      'User-Agent: ExampleFBL/1.0',
      'Version: 1',
      'Source-IP: 192.0.2.1',
      `Original-Rcpt-To: <${options.recipient}>`,
      `Arrival-Date: ${options.arrivalDate ?? 'Mon, 16 Nov 2026 07:30:00 +0000'}`,
      ...(type === 'auth-failure' ? ['Auth-Failure: dkim', 'Reported-Domain: sender.example'] : []),
      '',
      `--${boundary}`,
      'Content-Type: message/rfc822',
      '',
      'From: news@sender.example',
      `To: ${options.recipient}`,
      'Subject: November newsletter',
      `Message-ID: <orig-arf-${n}@sender.example>`,
      '',
      'Hello.',
      '',
      `--${boundary}--`,
      '',
    ].join('\r\n'),
  );
}
