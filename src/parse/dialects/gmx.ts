import { normalizeAddress } from '../address.ts';
import type { MessageView } from '../message-view.ts';
import type { Report, ReportRecipient } from '../report.ts';
import { type Dialect, joinLines, originalFromText, splitAtOriginal } from './dialect.ts';

// GMX and WEB.DE (United Internet):
//
//   This message was created automatically by mail delivery software.
//   …
//   "shironeko@example.jp":
//   SMTP error from remote server after RCPT command:
//   host: mx.example.jp
//   5.2.2 <shironeko@example.jp>... Mailbox Full
//
//   --- The header of the original message is following. ---

const ORIGINAL = ['--- The header of the original message is following. ---'];
// '"shironeko@example.jp":' or '<kijitora@6jo.example.co.jp>' on a line of its own.
const RECIPIENT = /^(?:"([^"\s]+@[^"\s]+)":|<([^<>\s]+@[^<>\s]+)>)\s*$/;

export const gmx: Dialect = {
  name: 'gmx',
  detect(view: MessageView): boolean {
    return (
      view.headers.has('envelope-to') ||
      /@(mail\.)?(gmx\.(net|com|de|at|ch)|web\.de)\b/i.test(view.from) ||
      view.text.includes(ORIGINAL[0]!)
    );
  },
  parse(view: MessageView): Report | undefined {
    const [report, original] = splitAtOriginal(view.text, ORIGINAL);
    const blocks: { address: string; lines: string[] }[] = [];
    for (const line of report.split('\n')) {
      const m = RECIPIENT.exec(line.trim());
      const address = m ? normalizeAddress(m[1] ?? m[2]) : undefined;
      if (address) blocks.push({ address, lines: [] });
      else if (line.trim()) blocks.at(-1)?.lines.push(line);
    }
    if (blocks.length === 0) return undefined;
    const recipients = blocks.map((b): ReportRecipient => {
      const diagnostic = joinLines(b.lines);
      // "SMTP error from remote server after RCPT command:"
      const command = /after (\w+) command/i.exec(diagnostic)?.[1]?.toUpperCase();
      const delayed = /delayed|retry timeout exceeded|could not be delivered within/i.test(diagnostic);
      return {
        address: b.address,
        action: 'failed',
        diagnostic,
        command,
        reason: delayed ? 'expired' : undefined,
        remoteMta: /host: ([\w.-]+)/.exec(diagnostic)?.[1],
      };
    });
    return { type: 'delivery-status', format: 'gmx', recipients, original: originalFromText(original) };
  },
};
