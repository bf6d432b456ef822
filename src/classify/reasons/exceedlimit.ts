import { reasonForStatus } from '../status-reasons.ts';
import { phraseMatcher, type ReasonRule } from './reason-rule.ts';

// 552 5.2.3 Message length exceeds administrative limit
const NAME_ = 'exceedlimit';
export const matches = phraseMatcher({
  any: ['message header size exceeds limit', 'message too large'],
});

export const exceedLimit: ReasonRule = {
  name: NAME_,
  description: "Your message exceeds the recipient's size limit",
  advice: 'send smaller messages',
  senderSide: true,
  matches,
  probe: (f) => f.reason === NAME_ || reasonForStatus(f.status) === NAME_ || matches(f.text),
};
