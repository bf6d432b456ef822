import { normalizeAddress } from '../address.ts';
import type { MessageView } from '../message-view.ts';
import type { Report, ReportRecipient } from '../report.ts';
import { type Dialect, joinLines } from './dialect.ts';

// An unnamed MTA ("X3" in the Sisimai collection) that writes:
//
//   This is an automatically generated Delivery Status Notification.
//   Delivery to the following recipients failed permanently:
//      * kijitora@example.com
//   ====…
//                              Technical details:
//   SMTP:RCPT host 192.0.2.8: 553 5.3.0 <kijitora@example.com>... No such user here

export const x3: Dialect = {
  name: 'x3',
  detect(view: MessageView): boolean {
    return view.text.includes('This is an automatically generated Delivery Status Notification.');
  },
  parse(view: MessageView): Report | undefined {
    const lines = view.text.split('\n');
    const recipients: ReportRecipient[] = [];
    const details: string[] = [];
    let inDetails = false;
    for (const line of lines) {
      const m = /^\s*\*\s+(\S+@\S+)\s*$/.exec(line);
      if (m) {
        const address = normalizeAddress(m[1]);
        if (address) recipients.push({ address, action: 'failed' });
        continue;
      }
      if (line.includes('Technical details:')) {
        inDetails = true;
        continue;
      }
      if (inDetails && /^=+\s*$/.test(line.trim())) inDetails = false;
      else if (inDetails) details.push(line);
    }
    if (recipients.length === 0) return undefined;
    const diagnostic = joinLines(details);
    // "SMTP:RCPT host 192.0.2.8: 553 …"
    const command = /SMTP:(\w{4})/.exec(diagnostic)?.[1]?.toUpperCase();
    const delayed = /delayed|temporar/i.test(view.subject);
    return {
      type: 'delivery-status',
      format: 'x3',
      recipients: recipients.map((r) => ({
        ...r,
        action: delayed ? 'delayed' : 'failed',
        diagnostic: diagnostic || undefined,
        command,
      })),
      original: {},
    };
  },
};
