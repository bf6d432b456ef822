import { phraseMatcher, type ReasonRule } from './reason-rule.ts';
import { reasonForStatus } from '../status-reasons.ts';
import { spamDetected } from './spamdetected.ts';

// 554 5.6.0 Message contain invalid MIME headers
const NAME_ = 'contenterror';
export const matches = phraseMatcher({
  any: [
    'duplicate header',
    'header size exceeds maximum permitted',
    'improper use of 8-bit data in message header',
    'message header size, or recipient list, exceeds policy limit',
    'message mime complexity exceeds the policy maximum',
    'routing loop detected -- too many received: headers',
    'this message contain invalid mime headers',
    'this message contain improperly-formatted binary content',
    'this message contain text that uses unnecessary base64 encoding',
  ],
});

export const contentError: ReasonRule = {
  name: NAME_,
  description: "The receiver refused your message's format or content",
  advice: 'fix the message',
  senderSide: true,
  matches,
  probe: (f) => {
    if (f.reason === NAME_) return true;
    if (spamDetected.probe(f)) return false;
    return reasonForStatus(f.status) === NAME_ || matches(f.text);
  },
};
