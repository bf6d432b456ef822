import { normalizeAddress } from '../address.ts';
import { readOriginal } from '../entity-tools.ts';
import type { MessageView } from '../message-view.ts';
import type { Report, ReportRecipient } from '../report.ts';
import { type Dialect, type PhraseTable, joinLines, reasonIn } from './dialect.ts';
import { dsnOf } from './dsn-text.ts';

// HCL (IBM, Lotus) Domino:
//
//   Your message
//     Subject: Test Bounce
//   was not delivered to:
//     kijitora@example.jp
//   because:
//     User some.name (kijitora@example.jp) not listed in Domino Directory

const REASONS: PhraseTable = [
  [
    'userunknown',
    [
      'not listed in Domino Directory',
      'not listed in public Name & Address Book',
      'Domino ディレクトリには見つかりません',
    ],
  ],
  ['filtered', ['Cannot route mail to user']],
  ['systemerror', ['Several matches found in Domino Directory']],
];

export const domino: Dialect = {
  name: 'domino',
  readsDsn: true,
  detect(view: MessageView): boolean {
    return view.subject.startsWith('DELIVERY FAILURE:') || view.subject.startsWith('DELIVERY_FAILURE:');
  },
  parse(view: MessageView): Report | undefined {
    const lines = view.text.split('\n');
    const to = lines.findIndex((l) => l.trim() === 'was not delivered to:');
    const because = lines.findIndex((l) => l.trim() === 'because:');
    if (to === -1) return undefined;
    const addresses = lines
      .slice(to + 1, because === -1 ? undefined : because)
      .map((l) => normalizeAddress(l.trim()))
      .filter((a): a is string => Boolean(a));
    const why =
      because === -1
        ? ''
        : joinLines(
            lines
              .slice(because + 1)
              .filter((l) => /^\s/.test(l))
              .slice(0, 6),
          );
    const reason = reasonIn(why, REASONS);
    const dsn = dsnOf(view);
    // The DSN's Final-Recipient is often the internal (Notes) address; the text names the
    // address that was written to, which is the one to judge.
    const recipients: ReportRecipient[] = addresses.map((address, i) => {
      const fromDsn = dsn?.recipients.find((r) => r.address === address) ?? dsn?.recipients[i];
      return {
        address,
        action: 'failed',
        status: fromDsn?.status,
        diagnostic: why || fromDsn?.diagnostic,
        remoteMta: fromDsn?.remoteMta,
        reason,
      };
    });
    if (recipients.length === 0) return undefined;
    return {
      type: 'delivery-status',
      format: 'domino',
      reportingMta: dsn?.reportingMta,
      recipients,
      original: readOriginal(view.entity) ?? {},
    };
  },
};
