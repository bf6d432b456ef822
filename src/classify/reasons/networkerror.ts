import { phraseMatcher, type ReasonRule } from './reason-rule.ts';

// Host name lookup failure
const NAME_ = 'networkerror';
export const matches = phraseMatcher({
  any: [
    "wasn't able to establish an smtp connection",
    'unable to establish an smtp connection',
    'dns error',
    'dns lookup failed',
    'nxdomain',
    'servfail',
    'temporary dns failure',
    'no mx or a record',
    'could not connect and send the mail to',
    'dns records for the destination computer could not be found',
    'hop count exceeded - possible mail loop',
    'host is unreachable',
    'host name lookup failure',
    'host not found, try again',
    'mail forwarding loop for ',
    'malformed name server reply',
    'malformed or unexpected name server reply',
    'maximum forwarding loop count exceeded',
    'message looping',
    'message probably in a routing loop',
    'no route to host',
    'too many hops',
    'unable to resolve route ',
    'unrouteable mail domain',
  ],
});

export const networkError: ReasonRule = {
  name: NAME_,
  description: 'A DNS or network failure on the way',
  advice: 'retry later',
  senderSide: false,
  matches,
  probe: (f) => f.reason === NAME_,
};
