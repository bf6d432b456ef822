import { normalizeAddress } from '../address.ts';
import { readOriginal } from '../entity-tools.ts';
import type { MessageView } from '../message-view.ts';
import type { Report } from '../report.ts';
import { type Dialect, joinLines } from './dialect.ts';

// Apache James (and Verizon Wireless, which runs it):
//
//   Error: Invalid user address
//   Error message below:
//   550 - Requested action not taken: no such user here
//   Message details:
//     Subject: Test message
//     MAIL FROM: kijitora@example.com
//     RCPT TO: 000000000000@vtext.example.com

export const apacheJames: Dialect = {
  name: 'apache-james',
  detect(view: MessageView): boolean {
    return view.text.includes('Message details:') && /^Error: /m.test(view.text);
  },
  parse(view: MessageView): Report | undefined {
    const text = view.text;
    const rcpt = /^\s*RCPT TO:\s*(.+)$/m.exec(text)?.[1];
    const addresses = (rcpt ?? '')
      .split(/[,\s]+/)
      .map((a) => normalizeAddress(a))
      .filter((a): a is string => Boolean(a));
    if (addresses.length === 0) return undefined;
    const marker = text.includes('Error message below:') ? 'Error message below:' : 'Error: ';
    const below = text.slice(text.indexOf(marker) + marker.length);
    const message = joinLines(below.slice(0, below.indexOf('Message details:')).split('\n'));
    const headline = /^Error: (.+)$/m.exec(text)?.[1] ?? '';
    const diagnostic = joinLines([message, headline]);
    // Verizon Wireless (vtext.com, vzwpix.com) runs James; its "no such user" is certain.
    const verizon = /post_master@vtext\.com|sysadmin@\S*\.vzwpix\.com/i.test(view.from);
    const reason =
      verizon && /550 - Requested action not taken: no such user here|No valid recipients/.test(diagnostic)
        ? 'userunknown'
        : undefined;
    return {
      type: 'delivery-status',
      format: 'apache-james',
      recipients: addresses.map((address) => ({ address, action: 'failed', diagnostic, reason })),
      original: readOriginal(view.entity) ?? {},
    };
  },
};
