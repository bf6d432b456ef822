import type { ReasonRule } from './reason-rule.ts';

const NAME_ = 'feedback';
const matches = (_text: string): boolean => false;

export const feedback: ReasonRule = {
  name: NAME_,
  description: 'A spam complaint from the recipient (feedback loop)',
  advice: 'suppress; the recipient does not want the mail',
  senderSide: false,
  matches,
  probe: (f) => f.reason === NAME_,
};
