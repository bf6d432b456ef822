import { normalizeAddress } from '../address.ts';
import { readOriginal } from '../entity-tools.ts';
import type { MessageView } from '../message-view.ts';
import type { Report } from '../report.ts';
import { type Dialect, type PhraseTable, joinLines, reasonIn } from './dialect.ts';
import { dsnOf, merged, type TextDetails } from './dsn-text.ts';

// Courier mail server. The DSN leaves Diagnostic-Code out when no SMTP reply was had;
// the text says why:
//
//   This is a delivery status notification from 5jo.example.org,
//   running the Courier mail server, version 0.65.2.
//   …
//   <kijitora@example.cat>:
//   <<< No such domain.

/** Courier's own messages (courier/module.esmtp) that name the reason. */
const REASONS: PhraseTable = [
  ['hostunknown', ['No such domain.']],
  ['userunknown', ['This address no longer accepts mail.', 'No such user.']],
  ['networkerror', ['DNS lookup failed.']],
];

export const courier: Dialect = {
  name: 'courier',
  readsDsn: true,
  detect(view: MessageView): boolean {
    return (
      view.text.includes('running the Courier mail server') ||
      /courier_\d/.test(view.entity.contentType.params.boundary ?? '')
    );
  },
  parse(view: MessageView): Report | undefined {
    const details = new Map<string, TextDetails>();
    let current: { address: string; lines: string[]; command?: string } | undefined;
    const close = () => {
      if (!current) return;
      const diagnostic = joinLines(current.lines);
      const reason = reasonIn(diagnostic, REASONS);
      details.set(current.address, { diagnostic, command: current.command, reason });
    };
    for (const line of view.text.split('\n')) {
      const m = /^<([^<>\s]+@[^<>\s]+)>:\s*$/.exec(line.trim());
      if (m) {
        close();
        const address = normalizeAddress(m[1]);
        current = address ? { address, lines: [] } : undefined;
        continue;
      }
      if (!current) continue;
      if (!line.trim() || line.startsWith('----')) {
        close();
        current = undefined;
        continue;
      }
      if (line.startsWith('>>> ')) current.command = /^>>> (\w{4})/.exec(line)?.[1]?.toUpperCase();
      else current.lines.push(line.replace(/^<<< /, ''));
    }
    close();
    const dsn = dsnOf(view);
    const recipients = dsn?.recipients.length
      ? dsn.recipients.map((r) => merged(r, details.get(r.address)))
      : [...details].map(([address, d]) => merged({ address, action: 'failed' }, d));
    if (recipients.length === 0) return undefined;
    return {
      type: 'delivery-status',
      format: 'courier',
      reportingMta: dsn?.reportingMta,
      arrivalDate: dsn?.arrivalDate,
      recipients,
      original: readOriginal(view.entity) ?? {},
    };
  },
};
