import { phraseMatcher, type ReasonRule } from './reason-rule.ts';
import { BEFORE_DATA } from '../fact.ts';

// 550 5.7.1 Virus detected
const NAME_ = 'virusdetected';
export const matches = phraseMatcher({
  any: [
    'it has a potentially executable attachment',
    'the message was rejected because it contains prohibited virus or spam content',
    'this form of attachment has been used by recent viruses or other malware',
    'virus detected',
    'virus phishing/malicious_url detected',
    'your message was infected with a virus',
  ],
});

export const virusDetected: ReasonRule = {
  name: NAME_,
  description: 'Your message was rejected as carrying a virus',
  advice: 'check the message and the sending systems',
  senderSide: true,
  matches,
  probe: (f) => {
    if (f.reason === NAME_) return true;
    if (f.command && BEFORE_DATA.has(f.command)) return false;
    return matches(f.text);
  },
};
