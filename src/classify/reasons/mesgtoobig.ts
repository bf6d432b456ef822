import { reasonForStatus } from '../status-reasons.ts';
import { phraseMatcher, type ReasonRule } from './reason-rule.ts';

// 552 5.3.4 Error: message file too big
const NAME_ = 'mesgtoobig';
export const matches = phraseMatcher({
  any: [
    'exceeded maximum inbound message size',
    'exceeded the maximum incoming message size',
    'line limit exceeded',
    'max message size exceeded',
    'message file too big',
    'message header size exceeds limit',
    'message length exceeds administrative limit',
    'message size exceeds fixed limit',
    'message size exceeds fixed maximum message size',
    'message size exceeds maximum value',
    'message too big',
    'message too large',
    'size limit',
    'taille limite du message atteinte',
  ],
});

export const mesgTooBig: ReasonRule = {
  name: NAME_,
  description: 'Your message is larger than the receiving system accepts',
  advice: 'send smaller messages',
  senderSide: true,
  matches,
  probe: (f) => {
    if (f.reason === NAME_) return true;
    const byStatus = reasonForStatus(f.status);
    if (byStatus === NAME_) return true;
    // 5.2.3 is the recipient's own size limit: exceedlimit, whatever the words say.
    if (byStatus === 'exceedlimit') return false;
    return matches(f.text);
  },
};
