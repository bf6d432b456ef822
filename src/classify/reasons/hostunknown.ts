import { phraseMatcher, type ReasonRule } from './reason-rule.ts';
import { reasonForStatus } from '../status-reasons.ts';
import { matches as networkError } from './networkerror.ts';

// 550 5.1.2 Host unknown (Name server: example.invalid: host not found)
const NAME_ = 'hostunknown';
export const matches = phraseMatcher({
  any: [
    'domain does not exist',
    'domain is not reachable',
    'domain must exist',
    'host or domain name not found',
    'host unknown',
    'host unreachable',
    'mail domain mentioned in email address is unknown',
    'name or service not known',
    'no such domain',
    'recipient address rejected: unknown domain name',
    'recipient domain must exist',
    'the account or domain may not exist',
    'unknown host',
    'unroutable address',
    'unrouteable address',
  ],
  inOrder: [
    ['553 ', ' does not exist'],
    // dma net.c: "DNS lookup failure: host %s not found"; "host example.invalid not found"
    ['lookup failure: host ', ' not found'],
  ],
});

export const hostUnknown: ReasonRule = {
  name: NAME_,
  description: "The recipient's domain does not exist",
  advice: 'suppress',
  senderSide: false,
  matches,
  probe: (f) => {
    if (f.reason === NAME_) return true;
    // A DNS failure is not a missing domain.
    if (reasonForStatus(f.status) === NAME_) return !networkError(f.text);
    return matches(f.text);
  },
};
