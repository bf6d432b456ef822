import { phraseMatcher, type ReasonRule } from './reason-rule.ts';

// 451 4.7.1 Client host rejected: Please try again slower
const NAME_ = 'speeding';
export const matches = phraseMatcher({
  any: [
    'mail sent from your ip address has been temporarily rate limited',
    'please try again slower',
    'receiving mail at a rate that prevents additional messages from being delivered',
  ],
});

export const speeding: ReasonRule = {
  name: NAME_,
  description: 'You are sending too fast (rate limited)',
  advice: 'slow down the sending',
  senderSide: true,
  matches,
  probe: (f) => f.reason === NAME_ || matches(f.text),
};
