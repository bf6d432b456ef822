import { normalizeAddress } from '../address.ts';
import type { MessageView } from '../message-view.ts';
import type { Report, ReportRecipient } from '../report.ts';
import type { Dialect } from './dialect.ts';

// An unnamed MTA ("X1" in the Sisimai collection; Mail2000 relays) that writes:
//
//   The original message was received at Thu, 29 Apr 2010 23:34:45 +0900 (JST)
//   from shironeko@example.jp
//   ---The following addresses had delivery errors---
//   kijitora@example.co.jp [User unknown]

const MARKER = '---The following addresses had delivery errors---';

export const x1: Dialect = {
  name: 'x1',
  detect(view: MessageView): boolean {
    return view.text.includes(MARKER);
  },
  parse(view: MessageView): Report | undefined {
    const after = view.text.slice(view.text.indexOf(MARKER) + MARKER.length).split('\n');
    const recipients: ReportRecipient[] = [];
    for (const line of after.slice(1)) {
      if (line.startsWith('--')) break;
      if (!line.trim()) {
        if (recipients.length) break;
        continue;
      }
      const m = /^(\S+@\S+)\s+\[(.*)\]\s*$/.exec(line.trim());
      const address = normalizeAddress(m?.[1]);
      if (address) recipients.push({ address, action: 'failed', diagnostic: m![2] || undefined });
    }
    return recipients.length
      ? { type: 'delivery-status', format: 'x1', recipients, original: {} }
      : undefined;
  },
};
