import { normalizeAddress } from '../address.ts';
import type { MessageView } from '../message-view.ts';
import type { Report, ReportRecipient } from '../report.ts';
import type { Dialect } from './dialect.ts';

// Amazon SES event notifications delivered by SNS as email ("AWS Notification Message"):
// a JSON document, https://docs.aws.amazon.com/ses/latest/dg/notification-contents.html
//
//   {"notificationType":"Bounce","bounce":{"bounceType":"Permanent","bouncedRecipients":
//    [{"emailAddress":"bounce@simulator.amazonses.com","action":"failed","status":"5.1.1",
//      "diagnosticCode":"smtp; 550 5.1.1 user unknown"}], …}, "mail":{…}}
//
// Complaint and Delivery notifications have the same envelope.

interface SesNotification {
  notificationType?: string;
  eventType?: string;
  bounce?: {
    bounceType?: string;
    bouncedRecipients?: {
      emailAddress?: string;
      action?: string;
      status?: string;
      diagnosticCode?: string;
    }[];
    reportingMTA?: string;
    remoteMtaIp?: string;
  };
  complaint?: { complainedRecipients?: { emailAddress?: string }[]; complaintFeedbackType?: string };
  delivery?: { recipients?: string[]; smtpResponse?: string; reportingMTA?: string; remoteMtaIp?: string };
  mail?: { messageId?: string; commonHeaders?: { from?: string[]; to?: string[]; subject?: string } };
}

export const amazonSes: Dialect = {
  name: 'amazon-ses',
  detect(view: MessageView): boolean {
    return /@sns\.amazonaws\.com/i.test(view.from) || view.text.trimStart().startsWith('{"notificationType"');
  },
  parse(view: MessageView): Report | undefined {
    const n = readJson(view.text);
    if (!n) return undefined;
    const type = n.notificationType ?? n.eventType;
    const original = {
      messageId: n.mail?.messageId,
      from: n.mail?.commonHeaders?.from?.join(', '),
      to: n.mail?.commonHeaders?.to?.join(', '),
      subject: n.mail?.commonHeaders?.subject,
    };
    const stripDns = (s: string | undefined) => s?.replace(/^\s*dsn;\s*/i, '');
    if (type === 'Bounce' && n.bounce) {
      // "Transient" bounces are SES's soft bounces: it may still succeed on a later send.
      const transient = n.bounce.bounceType === 'Transient';
      const recipients = (n.bounce.bouncedRecipients ?? []).flatMap((r): ReportRecipient[] => {
        const address = normalizeAddress(r.emailAddress);
        if (!address) return [];
        const typed = /^\s*(\w+)\s*;\s*(.*)$/.exec(r.diagnosticCode ?? '');
        return [
          {
            address,
            action: transient ? 'failed' : (r.action ?? 'failed'),
            status: r.status,
            diagnosticType: typed?.[1]?.toLowerCase(),
            diagnostic: typed?.[2] ?? r.diagnosticCode,
          },
        ];
      });
      if (recipients.length === 0) return undefined;
      return {
        type: 'delivery-status',
        format: 'amazon-ses',
        reportingMta: stripDns(n.bounce.reportingMTA),
        recipients,
        original,
      };
    }
    if (type === 'Complaint' && n.complaint) {
      const recipients = (n.complaint.complainedRecipients ?? []).flatMap((r): ReportRecipient[] => {
        const address = normalizeAddress(r.emailAddress);
        return address ? [{ address, action: 'complained' }] : [];
      });
      return {
        type: 'feedback',
        format: 'amazon-ses',
        feedbackType: n.complaint.complaintFeedbackType ?? 'abuse',
        recipients,
        original,
      };
    }
    if (type === 'Delivery' && n.delivery) {
      const recipients = (n.delivery.recipients ?? []).flatMap((a): ReportRecipient[] => {
        const address = normalizeAddress(a);
        return address
          ? [{ address, action: 'delivered', diagnostic: n.delivery?.smtpResponse, status: undefined }]
          : [];
      });
      return {
        type: 'delivery-status',
        format: 'amazon-ses',
        reportingMta: stripDns(n.delivery.reportingMTA),
        recipients,
        original,
      };
    }
    return undefined;
  },
};

/** The JSON document, tolerating the line breaks mail transport adds to a long line. */
function readJson(text: string): SesNotification | undefined {
  const start = text.indexOf('{');
  const end = text.lastIndexOf('}');
  if (start === -1 || end <= start) return undefined;
  const raw = text.slice(start, end + 1);
  for (const candidate of [raw, raw.replace(/\n/g, ''), raw.replace(/!?\n ?/g, '')]) {
    try {
      const value = JSON.parse(candidate) as { Type?: string; Message?: unknown } | null;
      // The raw SNS envelope: {"Type":"Notification","Message":"{\"notificationType\":…}"}
      if (value?.Type === 'Notification' && typeof value.Message === 'string') {
        return JSON.parse(value.Message) as SesNotification;
      }
      if (value && typeof value === 'object') return value as SesNotification;
    } catch {
      // try the next repair
    }
  }
  return undefined;
}
