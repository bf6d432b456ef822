import { normalizeAddress } from '../address.ts';
import type { MessageView } from '../message-view.ts';
import type { Report } from '../report.ts';
import { type Dialect, joinLines } from './dialect.ts';

// Google Groups refusing a post (X-Failed-Recipients names the group):
//
//   We're writing to let you know that the group you tried to contact (group-name)
//   may not exist, or you may not have permission to post messages to the group.
//   A few more details on why you weren't able to post:
//
//    * You might have spelled or formatted the group name incorrectly.
//    * The owner of the group may have removed this group.
//    * You may need to join the group before receiving permission to post.
//    * This group may not be open to posting.

export const googleGroups: Dialect = {
  name: 'google-groups',
  detect(view: MessageView): boolean {
    return view.headers.has('x-failed-recipients') && view.text.includes('Google Groups');
  },
  parse(view: MessageView): Report | undefined {
    const addresses = (view.headers.get('x-failed-recipients') ?? '')
      .split(',')
      .map((a) => normalizeAddress(a))
      .filter((a): a is string => Boolean(a));
    if (addresses.length === 0) return undefined;
    const text = view.text.split('----- Original message -----')[0] ?? '';
    // The four reasons a post is refused, as bullets: the group refuses the sender.
    const bullets = (text.match(/^\s*\* /gm) ?? []).length;
    const diagnostic = joinLines(text.split('\n').slice(0, 12));
    return {
      type: 'delivery-status',
      format: 'google-groups',
      recipients: addresses.map((address) => ({
        address,
        action: 'failed',
        diagnostic,
        reason: bullets === 4 ? 'rejected' : 'onhold',
      })),
      original: {},
    };
  },
};
