import { normalizeAddress } from '../address.ts';
import { readOriginal } from '../entity-tools.ts';
import type { MessageView } from '../message-view.ts';
import type { Report, ReportRecipient } from '../report.ts';
import type { Dialect } from './dialect.ts';
import { dsnOf } from './dsn-text.ts';

// Oracle Communications (Sun Java System, iPlanet) Messaging Server:
//
//   This report relates to a message you sent with the following header fields:
//   …
//   Your message cannot be delivered to the following recipients:
//
//     Recipient address: sabineko@example.org
//     Reason: Remote SMTP server has rejected address
//     Diagnostic code: smtp; 550 5.7.1 550 User Unknown: sabineko@example.org
//     Remote system: dns; mailbox0.d5.example.org (TCP|192.0.2.225|34321|192.0.2.12|25) …
//
// "Recipient address" can be a source route ("@smtp.example.net:kijitora@server"); then
// "Original address" is the address the sender wrote.

export const messagingServer: Dialect = {
  name: 'messaging-server',
  readsDsn: true,
  detect(view: MessageView): boolean {
    return view.text.includes('This report relates to a message you sent with the following header fields:');
  },
  parse(view: MessageView): Report | undefined {
    const blocks: Record<string, string>[] = [];
    for (const line of view.text.split('\n')) {
      const m = /^\s+(Recipient address|Original address|Reason|Diagnostic code|Remote system):\s*(.*)$/.exec(
        line,
      );
      if (!m) continue;
      if (m[1] === 'Recipient address') blocks.push({});
      const current = blocks.at(-1);
      if (current) current[m[1]!] = m[2]!;
    }
    const dsn = dsnOf(view);
    const recipients: ReportRecipient[] = [];
    for (const b of blocks) {
      const address = normalizeAddress(b['Recipient address']) ?? normalizeAddress(b['Original address']);
      if (!address) continue;
      const fromDsn = dsn?.recipients.find((r) => r.address === address);
      const diagnostic = b['Diagnostic code']?.replace(/^\s*\w+;\s*/, '') ?? fromDsn?.diagnostic ?? b.Reason;
      recipients.push({
        address,
        action: fromDsn?.action ?? 'failed',
        status: fromDsn?.status,
        diagnostic: [diagnostic, b.Reason && diagnostic !== b.Reason ? b.Reason : '']
          .filter(Boolean)
          .join(' '),
        remoteMta: b['Remote system']?.replace(/^\s*dns;\s*/i, '').split(/\s/)[0],
      });
    }
    if (recipients.length === 0) return undefined;
    return {
      type: 'delivery-status',
      format: 'messaging-server',
      reportingMta: dsn?.reportingMta,
      recipients,
      original: readOriginal(view.entity) ?? {},
    };
  },
};
