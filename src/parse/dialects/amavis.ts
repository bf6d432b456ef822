import { readOriginal } from '../entity-tools.ts';
import type { MessageView } from '../message-view.ts';
import type { Report } from '../report.ts';
import type { Dialect } from './dialect.ts';
import { dsnOf } from './dsn-text.ts';

// amavisd-new. Its DSN says "554 5.7.0 Reject, id=… - SPAM" for every rejection; the
// text names the real cause, a header problem for example:
//
//   A message from <error+1826111378@example.com> to:
//   -> kijitora@example.com
//   was considered unsolicited bulk e-mail (UBE).
//   …
//   Duplicate header field: "From"

const FINDINGS = [
  /^Duplicate header field: .*$/m,
  /^Improper use of .*$/m,
  /^(Missing|Invalid) header .*$/m,
  /^was considered (unsolicited bulk e-mail|.*)\.?$/m,
  /^\s*(infected|banned) .*$/m,
];

export const amavis: Dialect = {
  name: 'amavis',
  readsDsn: true,
  detect(view: MessageView): boolean {
    return (
      view.text.includes('Our internal reference code for your message is') ||
      /amavis/i.test(view.headers.get('x-mailer') ?? '') ||
      view.received.some((r) => /amavisd/i.test(r))
    );
  },
  parse(view: MessageView): Report | undefined {
    const dsn = dsnOf(view);
    if (!dsn?.recipients.length) return undefined;
    // The most specific finding first: a header fault is more precise than "UBE".
    const finding = FINDINGS.map((re) => re.exec(view.text)?.[0]?.trim()).find(Boolean);
    return {
      type: 'delivery-status',
      format: 'amavis',
      reportingMta: dsn.reportingMta,
      arrivalDate: dsn.arrivalDate,
      recipients: dsn.recipients.map((r) => ({
        ...r,
        diagnostic: [r.diagnostic, finding].filter(Boolean).join(' '),
      })),
      original: readOriginal(view.entity) ?? {},
    };
  },
};
