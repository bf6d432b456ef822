import { normalizeAddress } from '../address.ts';
import type { MessageView } from '../message-view.ts';
import type { Report } from '../report.ts';
import { type Dialect, joinLines, originalFromText, splitAtOriginal } from './dialect.ts';

// Digital Arts m-FILTER (Japan), a gateway that writes its own notice:
//
//   kijitora@example.org
//   -------server message
//   550 kijitora@example.org... No such user
//   -------SMTP command
//   DATA
//   -------original mail info

const ORIGINAL = ['-------original message', '-------original mail info'];

export const mfilter: Dialect = {
  name: 'mfilter',
  detect(view: MessageView): boolean {
    return view.text.includes('-------server message') || view.text.includes('m-FILTER');
  },
  parse(view: MessageView): Report | undefined {
    const [report, original] = splitAtOriginal(view.text, ORIGINAL);
    const lines = report.split('\n').map((l) => l.trim());
    const serverAt = lines.indexOf('-------server message');
    if (serverAt === -1) return undefined;
    const addresses = lines
      .slice(0, serverAt)
      .map((l) => (/^[^\s@]+@[^\s@]+$/.test(l) ? normalizeAddress(l) : undefined))
      .filter((a): a is string => Boolean(a));
    if (addresses.length === 0) return undefined;
    const commandAt = lines.indexOf('-------SMTP command');
    const end = commandAt === -1 ? lines.length : commandAt;
    const diagnostic = joinLines(lines.slice(serverAt + 1, end).filter((l) => !l.startsWith('-------')));
    const command =
      commandAt === -1 ? undefined : lines[commandAt + 1]?.toUpperCase().slice(0, 4) || undefined;
    return {
      type: 'delivery-status',
      format: 'mfilter',
      recipients: addresses.map((address) => ({ address, action: 'failed', diagnostic, command })),
      original: originalFromText(original),
    };
  },
};
