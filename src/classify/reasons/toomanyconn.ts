import { reasonForStatus } from '../status-reasons.ts';
import { phraseMatcher, type ReasonRule } from './reason-rule.ts';

// 421 Too many connections from your host.
const NAME_ = 'toomanyconn';
export const matches = phraseMatcher({
  any: [
    'all available ips are at maximum connection limit',
    'connection rate limit exceeded',
    'exceeds per-domain connection limit for',
    'has exceeded the max emails per hour ',
    'throttling failure: daily message quota exceeded',
    'throttling failure: maximum sending rate exceeded',
    'too many connections',
    'too many connections from your host.',
    'too many concurrent smtp connections',
    'too many errors from your ip',
    'too many recipients',
    'too many smtp sessions for this host',
    'trop de connexions, ',
    'we have already made numerous attempts to deliver this message',
  ],
});

export const tooManyConn: ReasonRule = {
  name: NAME_,
  description: 'Too many connections or recipients at once',
  advice: 'slow down the sending',
  senderSide: true,
  matches,
  probe: (f) => f.reason === NAME_ || reasonForStatus(f.status) === NAME_ || matches(f.text),
};
