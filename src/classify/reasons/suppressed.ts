import type { ReasonRule } from './reason-rule.ts';

// Address is on the suppression list
const NAME_ = 'suppressed';
const matches = (_text: string): boolean => false;

export const suppressed: ReasonRule = {
  name: NAME_,
  description: 'The sending service suppressed the address after earlier failures',
  advice: 'suppress',
  senderSide: false,
  matches,
  probe: (f) => f.reason === NAME_,
};
