import { normalizeAddress } from '../address.ts';
import type { MessageView } from '../message-view.ts';
import type { Report, ReportRecipient } from '../report.ts';
import {
  type Dialect,
  type PhraseTable,
  joinLines,
  originalFromText,
  reasonIn,
  splitAtOriginal,
} from './dialect.ts';

// HCL (IBM, Lotus) Notes, the client-side notice:
//
//   Subject: Undeliverable message
//
//   ------- Failure Reasons  --------
//
//   User not listed in public Name & Address Book
//   kijitora@notes.example.jp
//
//   ------- Returned Message --------

const REASONS: PhraseTable = [
  ['networkerror', ['Message has exceeded maximum hop count']],
  ['userunknown', ['User not listed in public Name & Address Book', 'ディレクトリのリストにありません']],
];

export const notes: Dialect = {
  name: 'notes',
  detect(view: MessageView): boolean {
    return view.subject.startsWith('Undeliverable message') && view.text.includes('------- Failure Reasons');
  },
  parse(view: MessageView): Report | undefined {
    const [report, original] = splitAtOriginal(view.text, ['------- Returned Message --------']);
    const lines = report.split('\n');
    const start = lines.findIndex((l) => l.startsWith('------- Failure Reasons'));
    if (start === -1) return undefined;
    const text: string[] = [];
    const addresses: string[] = [];
    for (const line of lines.slice(start + 1)) {
      const trimmed = line.trim();
      if (!trimmed || trimmed.startsWith('-')) continue;
      const address = trimmed.includes('@') && !trimmed.includes(' ') ? normalizeAddress(trimmed) : undefined;
      if (address) addresses.push(address);
      else text.push(trimmed);
    }
    if (addresses.length === 0) {
      const to = normalizeAddress(originalFromText(original).to);
      if (to) addresses.push(to);
    }
    if (addresses.length === 0) return undefined;
    const diagnostic = joinLines(text);
    const reason = reasonIn(diagnostic, REASONS);
    return {
      type: 'delivery-status',
      format: 'notes',
      recipients: addresses.map((address): ReportRecipient => ({
        address,
        action: 'failed',
        diagnostic,
        reason,
      })),
      original: originalFromText(original),
    };
  },
};
