import { normalizeAddress } from '../address.ts';
import type { MessageView } from '../message-view.ts';
import type { Report, ReportRecipient } from '../report.ts';
import type { Dialect } from './dialect.ts';

// An unnamed MTA ("X6" in the Sisimai collection):
//
//   Subject: There was an error sending your mail
//
//   We had trouble delivering your message. Full details follow:
//   …
//   SMTP Server <mta2.example.jp> rejected recipient <kijitora@example.jp>
//     (Error following RCPT command). It responded as follows: [550 5.1.1 User unknown]
//
//   The following recipients returned permanent errors: neko@example.jp.

export const x6: Dialect = {
  name: 'x6',
  detect(view: MessageView): boolean {
    return view.text.includes('We had trouble delivering your message. Full details follow:');
  },
  parse(view: MessageView): Report | undefined {
    const text = view.text.replace(/\n\s+\(Error following/g, ' (Error following');
    const recipients: ReportRecipient[] = [];
    for (const line of text.split('\n')) {
      const server = /^SMTP Server <([^>]+)> rejected recipient <([^<>\s]+@[^<>\s]+)>(.*)$/.exec(line.trim());
      const listed = /^The following recipients returned permanent errors: (\S+@[^\s,]+?)\.?$/.exec(
        line.trim(),
      );
      const address = normalizeAddress(server?.[2] ?? listed?.[1]);
      if (!address || recipients.some((r) => r.address === address)) continue;
      const command = /Error following (\w{4}) command/.exec(line)?.[1]?.toUpperCase();
      const reply = /responded as follows: \[(.+?)\]/.exec(line)?.[1];
      recipients.push({
        address,
        action: 'failed',
        diagnostic: reply ?? line.trim(),
        command,
        remoteMta: server?.[1],
      });
    }
    return recipients.length
      ? { type: 'delivery-status', format: 'x6', recipients, original: {} }
      : undefined;
  },
};
