import { normalizeAddress } from '../address.ts';
import type { MessageView } from '../message-view.ts';
import type { Report } from '../report.ts';
import { type Dialect, joinLines } from './dialect.ts';

// fml, the Japanese mailing list manager. Its error notices name the list, not a mailbox
// that failed, so the recipient is the list address and the reason the list's rule:
//
//   Subject: You sironeko@neko.example.org are not member (neko-nyaan ML)
//   You are not a member of this mailing list <neko-nyaan@example.org>.
//
//   Subject: Loop Alert: Duplicated Message-ID (neko ML)
//   Duplicated Message-ID in <neko@example.co.jp>.

const REASONS: readonly (readonly [string, RegExp])[] = [
  ['rejected', /You are not a member of this mailing list <([^<>\s]+@[^<>\s]+)>/],
  ['rejected', /are not member/],
  ['systemerror', /Duplicated Message-ID in <([^<>\s]+@[^<>\s]+)>/],
  ['systemerror', /Loop Alert/],
];

export const fml: Dialect = {
  name: 'fml',
  detect(view: MessageView): boolean {
    return view.headers.has('x-mlserver') || /\(.+ ML\)\s*$/.test(view.subject) || /-admin@/.test(view.from);
  },
  parse(view: MessageView): Report | undefined {
    const text = `${view.subject}\n${view.text.slice(0, 4000)}`;
    const hit = REASONS.find(([, re]) => re.test(text));
    if (!hit) return undefined;
    const list = /<([^<>\s]+@[^<>\s]+)>/.exec(view.text.split('\n').slice(0, 5).join('\n'))?.[1];
    const address = normalizeAddress(list);
    if (!address) return undefined;
    const firstLine = view.text.split('\n').find((l) => l.trim()) ?? view.subject;
    return {
      type: 'delivery-status',
      format: 'fml',
      recipients: [{ address, action: 'failed', diagnostic: joinLines([firstLine]), reason: hit[0] }],
      original: {},
    };
  },
};
