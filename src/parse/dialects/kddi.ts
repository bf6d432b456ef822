import { normalizeAddress } from '../address.ts';
import type { MessageView } from '../message-view.ts';
import type { Report, ReportRecipient } from '../report.ts';
import { type Dialect, type PhraseTable, joinLines, reasonIn } from './dialect.ts';

// au by KDDI's own notice (not the EZweb one):
//
//   Your mail sent on: Thu, 29 Apr 2010 11:04:47 +0900
//       Could not be delivered to: <******@**.***.**>
//       As their mailbox is full.

const REASONS: PhraseTable = [
  ['mailboxfull', ['As their mailbox is full']],
  ['norelaying', ['Due to the following SMTP relay error']],
  ['hostunknown', ['As the remote domain doesnt exist']],
];

export const kddi: Dialect = {
  name: 'kddi',
  detect(view: MessageView): boolean {
    return (
      view.text.includes('Your mail sent on:') ||
      view.text.includes('Your mail attempted to be delivered on:') ||
      /\.dion\.ne\.jp/.test(view.from)
    );
  },
  parse(view: MessageView): Report | undefined {
    const blocks: { address: string; lines: string[] }[] = [];
    for (const line of view.text.split('\n')) {
      const m = /Could not be delivered to: <([^<>\s]+@[^<>\s]+)>/.exec(line);
      const address = normalizeAddress(m?.[1]);
      if (address) blocks.push({ address, lines: [] });
      else if (line.startsWith(' ') && line.trim()) blocks.at(-1)?.lines.push(line);
    }
    if (blocks.length === 0) return undefined;
    const spam = view.headers.get('x-spasign')?.trim() === 'NG';
    const recipients = blocks.map((b): ReportRecipient => {
      const diagnostic = joinLines(b.lines);
      const reason = spam ? 'filtered' : reasonIn(diagnostic, REASONS);
      return { address: b.address, action: 'failed', diagnostic, reason };
    });
    return { type: 'delivery-status', format: 'kddi', recipients, original: {} };
  },
};
