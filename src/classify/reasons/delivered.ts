import type { ReasonRule } from './reason-rule.ts';

const NAME_ = 'delivered';
const matches = (_text: string): boolean => false;

export const delivered: ReasonRule = {
  name: NAME_,
  description: 'Delivered',
  advice: 'nothing to do',
  senderSide: false,
  matches,
  probe: (f) => f.reason === NAME_,
};
