import { phraseMatcher, type ReasonRule } from './reason-rule.ts';

// 550 5.1.6 address has been replaced by new@example.org
const NAME_ = 'hasmoved';
export const matches = phraseMatcher({
  any: [' has been replaced by '],
});

export const hasMoved: ReasonRule = {
  name: NAME_,
  description: 'The mailbox has moved with no forwarding address',
  advice: 'suppress; update the address if you know the new one',
  senderSide: false,
  matches,
  probe: (f) => f.reason === NAME_ || matches(f.text),
};
