import { normalizeAddress } from '../address.ts';
import { readOriginal } from '../entity-tools.ts';
import type { MessageView } from '../message-view.ts';
import type { Report, ReportRecipient } from '../report.ts';
import { type Dialect, joinLines } from './dialect.ts';

// Microsoft Exchange Server 5.5 to 2003 (the "Internet Mail Service"):
//
//   Your message
//
//     To:      shironeko@example.jp
//     Subject: …
//     Sent:    Thu, 29 Apr 2010 18:14:35 +0000
//
//   did not reach the following recipient(s):
//
//   kijitora@example.co.jp on Thu, 29 Apr 2007 16:51:51 -0500
//       The recipient name is not recognized
//       The MTS-ID of the original message is: c=jp;a= ;p=neko
//   ;l=EXCHANGE000000000000000000
//       MSEXCH:IMS:KIJITORA CAT:EXAMPLE:EXCHANGE 0 (000C05A6) Unknown Recipient

/** The MSEXCH error code in parentheses names the reason. */
const CODES: Readonly<Record<string, string>> = {
  '000C05A6': 'userunknown', // Unknown Recipient
  '000C0595': 'filtered', // Ambiguous Recipient
  '00010256': 'systemerror', // Too many recipients
  '000D06B5': 'systemerror', // No proxy for recipient
  '00120270': 'networkerror', // Too Many Hops
  '00050311': 'contenterror', // Conversion to Internet format failed
  '000502CC': 'contenterror',
  '000B0981': 'securityerror', // 502 Server does not support AUTH
};

export const exchange2003: Dialect = {
  name: 'exchange2003',
  detect(view: MessageView): boolean {
    const mailer = view.headers.get('x-mailer') ?? '';
    return (
      view.headers.has('x-ms-embedded-report') ||
      mailer.startsWith('Internet Mail Service (') ||
      mailer.startsWith('Microsoft Exchange Server Internet Mail Connector') ||
      (view.headers.get('x-mimeole') ?? '').startsWith('Produced By Microsoft Exchange') ||
      view.received.some((r) => r.includes(' with Internet Mail Service ('))
    );
  },
  parse(view: MessageView): Report | undefined {
    const lines = view.text.split('\n');
    const start = lines.findIndex((l) => l.includes('did not reach the following recipient(s):'));
    if (start === -1) return undefined;
    const blocks: { address: string; lines: string[] }[] = [];
    for (const line of lines.slice(start + 1)) {
      if (/^\s*Content-Type: message\/rfc822/i.test(line)) break;
      // "kijitora@example.co.jp on Thu, 29 Apr 2007 16:51:51 -0500", or the X.400 form
      // "c=US;a= ;p=neko;o=kijitora;cat:SMTP=NEKOCHAN@EXAMPLE.COM; on Fri, 4 Oct 2002"
      const m = /^\s*(\S+?@\S+?)(?:;)? on /.exec(line);
      if (m) {
        const smtp = /:smtp=([^;\s]+)/i.exec(line)?.[1];
        const address = normalizeAddress(smtp ?? m[1]);
        if (address) {
          blocks.push({ address, lines: [] });
          continue;
        }
      }
      if (line.trim()) blocks.at(-1)?.lines.push(line);
    }
    if (blocks.length === 0) return undefined;
    const recipients = blocks.map((b): ReportRecipient => {
      const all = joinLines(b.lines);
      const exch = /MSEXCH:.*?\(([0-9A-F]{8})\)\s*(.*)$/.exec(all);
      const reason = exch ? CODES[exch[1]!] : undefined;
      // The text after the code is the message; the lines before it say it for people.
      const diagnostic = exch ? joinLines([exch[2] ?? '', all.slice(0, all.indexOf('MSEXCH:'))]) : all;
      return { address: b.address, action: 'failed', diagnostic, reason };
    });
    return {
      type: 'delivery-status',
      format: 'exchange2003',
      recipients,
      original: readOriginal(view.entity) ?? {},
    };
  },
};
