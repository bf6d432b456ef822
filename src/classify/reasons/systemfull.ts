import { phraseMatcher, type ReasonRule } from './reason-rule.ts';

// 452 4.3.1 Mail system full
const NAME_ = 'systemfull';
export const matches = phraseMatcher({
  any: ['mail system full', 'requested mail action aborted: exceeded storage allocation'],
});

export const systemFull: ReasonRule = {
  name: NAME_,
  description: "The receiving system's storage is full",
  advice: 'retry later',
  senderSide: false,
  matches,
  probe: (f) => f.reason === NAME_,
};
