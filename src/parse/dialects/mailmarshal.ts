import { normalizeAddress } from '../address.ts';
import type { MessageView } from '../message-view.ts';
import type { Report } from '../report.ts';
import { type Dialect, joinLines } from './dialect.ts';

// Trustwave (Marshal) MailMarshal SMTP:
//
//   Subject: Undeliverable Mail: "…"
//
//   Your message:
//      From:    originalsender@example.com
//      Subject: …
//
//   Could not be delivered because of
//
//   550 5.1.1 User unknown
//
//   The following recipients were affected:
//       neko@example.com

export const mailMarshal: Dialect = {
  name: 'mailmarshal',
  detect(view: MessageView): boolean {
    return (
      view.subject.startsWith('Undeliverable Mail: "') ||
      view.text.includes('Could not be delivered because of')
    );
  },
  parse(view: MessageView): Report | undefined {
    const lines = view.text.split('\n');
    const because = lines.findIndex((l) => l.trim() === 'Could not be delivered because of');
    const affected = lines.findIndex((l) => l.startsWith('The following recipients were affected:'));
    if (because === -1 || affected === -1) return undefined;
    const diagnostic = joinLines(lines.slice(because + 1, affected));
    const addresses: string[] = [];
    for (const line of lines.slice(affected + 1)) {
      if (!line.trim()) {
        if (addresses.length) break;
        continue;
      }
      const address = line.startsWith(' ') ? normalizeAddress(line.trim()) : undefined;
      if (!address) break;
      addresses.push(address);
    }
    if (addresses.length === 0) return undefined;
    return {
      type: 'delivery-status',
      format: 'mailmarshal',
      recipients: addresses.map((address) => ({ address, action: 'failed', diagnostic })),
      original: {},
    };
  },
};
