import { phraseMatcher, type ReasonRule } from './reason-rule.ts';
import { reasonForStatus } from '../status-reasons.ts';
import { matches as userUnknown } from './userunknown.ts';
import { BEFORE_DATA } from '../fact.ts';

// 550 5.2.1 <filtered@example.jp>... User refuses to receive this mail
const NAME_ = 'filtered';
export const matches = phraseMatcher({
  any: [
    'account is protected by',
    'bounced address',
    'has restricted sms e-mail',
    'is not accepting any mail',
    'message filtered',
    'message rejected due to user rules',
    'not found recipient account',
    'recipient id refuse to receive mail',
    'recipient is only accepting mail from specific email addresses',
    'refused due to recipient preferences',
    'user not found',
    'user refuses to receive this mail',
    'user reject',
    'you have been blocked by the recipient',
  ],
});

export const filtered: ReasonRule = {
  name: NAME_,
  description: "Rejected by the recipient's own filter or settings",
  advice: 'check with the recipient; retry later',
  senderSide: false,
  matches,
  probe: (f) => {
    if (f.reason === NAME_) return true;
    if (reasonForStatus(f.status) === NAME_) return userUnknown(f.text) || matches(f.text);
    // Filters read the headers and the body: a rejection before DATA is something else.
    if (f.command && BEFORE_DATA.has(f.command)) return false;
    return matches(f.text) || userUnknown(f.text);
  },
};
