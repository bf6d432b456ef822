import type { ReasonRule } from './reason-rule.ts';

const NAME_ = 'onhold';
const matches = (_text: string): boolean => false;

export const onHold: ReasonRule = {
  name: NAME_,
  description: 'Not enough information to decide',
  advice: 'read the diagnostic',
  senderSide: false,
  matches,
  probe: (f) => f.reason === NAME_,
};
