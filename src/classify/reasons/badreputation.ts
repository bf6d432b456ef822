import { phraseMatcher, type ReasonRule } from './reason-rule.ts';

// 421 4.7.0 [TSS04] Messages from 192.0.2.1 temporarily deferred due to unexpected volume or user complaints
const NAME_ = 'badreputation';
export const matches = phraseMatcher({
  any: [
    'a poor email reputation score',
    'has been temporarily rate limited due to ip reputation',
    'ip/domain reputation problems',
    'likely suspicious due to the very low reputation',
    'none/bad reputation',
    'temporarily deferred due to unexpected volume or user complaints',
    "the sending mta's poor reputation",
  ],
});

export const badReputation: ReasonRule = {
  name: NAME_,
  description: 'Your sending IP or domain has a poor reputation',
  advice: 'your sending reputation is low: slow down, warm up new IPs, and cut complaints and unknown users',
  senderSide: true,
  matches,
  probe: (f) => f.reason === NAME_ || matches(f.text),
};
