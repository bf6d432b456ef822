import type { ReasonRule } from './reason-rule.ts';

const NAME_ = 'undefined';
const matches = (_text: string): boolean => false;

export const undefinedReason: ReasonRule = {
  name: NAME_,
  description: 'Unknown reason',
  advice: 'read the diagnostic',
  senderSide: false,
  matches,
  probe: (f) => f.reason === NAME_,
};
