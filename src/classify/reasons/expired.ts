import { phraseMatcher, type ReasonRule } from './reason-rule.ts';

// Message expired after sitting in queue for 5 days
const NAME_ = 'expired';
export const matches = phraseMatcher({
  any: [
    'retry timeout exceeded',
    'delivery retry timeout exceeded',
    'message has expired',
    'message expired',
    'queue lifetime',
    'too long in the queue',
    'exceeded the maximum time',
    'maximum delivery time',
    'connection timed out',
    'could not find a gateway for',
    'delivery attempts will continue to be',
    'delivery expired',
    'delivery time expired',
    'failed to deliver to domain ',
    'giving up on',
    'have been failing for a long time',
    'has been delayed',
    'it has not been collected after',
    'message expired after sitting in queue for',
    'message expired, cannot connect to remote server',
    'message expired, connection refulsed',
    'message timed out',
    'retry time not reached for any host after a long failure period',
    'server did not respond',
    'this message has been in the queue too long',
    'unable to deliver message after multiple retries',
    'was not reachable within the allowed queue period',
    'your message could not be delivered for more than',
  ],
  inOrder: [['could not be delivered for', ' days']],
});

export const expired: ReasonRule = {
  name: NAME_,
  description: 'Delivery kept failing until the retry time ran out',
  advice: 'retry later; watch for repeats',
  senderSide: false,
  matches,
  probe: (f) => f.reason === NAME_,
};
