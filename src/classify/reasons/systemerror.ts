import { phraseMatcher, type ReasonRule } from './reason-rule.ts';

// 451 4.3.0 Local configuration error
const NAME_ = 'systemerror';
export const matches = phraseMatcher({
  any: [
    'aliasing/forwarding loop broken',
    "can't create user output file",
    'could not load drd for domain',
    'internal error reading data',
    'internal server error: operation now in progress',
    'interrupted system call',
    'it encountered an error while being processed',
    'it would create a mail loop',
    'local configuration error',
    'local error in processing',
    'loop was found in the mail exchanger',
    'loops back to myself',
    'mail system configuration error',
    'queue file write error',
    'recipient deferred because there is no mdb',
    'remote server is misconfigured',
    'server configuration error',
    'service currently unavailable',
    'system config error',
    'temporary local problem',
    'timeout waiting for input',
    'transaction failed ',
  ],
  inOrder: [['unable to connect ', 'daemon']],
});

export const systemError: ReasonRule = {
  name: NAME_,
  description: 'An error on the receiving system',
  advice: 'retry later',
  senderSide: false,
  matches,
  probe: (f) => f.reason === NAME_,
};
