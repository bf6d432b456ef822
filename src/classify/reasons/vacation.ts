import { phraseMatcher, type ReasonRule } from './reason-rule.ts';

// I am out of the office until Monday
const NAME_ = 'vacation';
export const matches = phraseMatcher({
  any: [
    'i am away on vacation',
    'i am away until',
    'i am out of the office',
    'i will be traveling for work on',
  ],
});

export const vacation: ReasonRule = {
  name: NAME_,
  description: 'An automatic out-of-office reply',
  advice: 'ignore',
  senderSide: false,
  matches,
  probe: (f) => f.reason === NAME_,
};
