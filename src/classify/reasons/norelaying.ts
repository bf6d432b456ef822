import { phraseMatcher, type ReasonRule } from './reason-rule.ts';

// 554 5.7.1 <user@example.net>: Relay access denied
const NAME_ = 'norelaying';
export const matches = phraseMatcher({
  any: [
    'as a relay',
    'email address is not verified.',
    'insecure mail relay',
    'is not permitted to relay through this server without authentication',
    'mail server requires authentication when attempting to send to a non-local e-mail address',
    'no relaying',
    'not a gateway',
    'not allowed to relay through this machine',
    'not an open relay, so get lost',
    'not local host',
    'relay access denied',
    'relay denied',
    'relay not permitted',
    'relaying denied',
    'relaying mail to ',
    'specified domain is not allowed',
    "that domain isn't in my list of allowed rcpthost",
    'this system is not configured to relay mail',
    'unable to relay ',
    "we don't handle mail for",
  ],
});

export const noRelaying: ReasonRule = {
  name: NAME_,
  description: 'The receiving server refused to relay your mail',
  advice: 'fix the sending: wrong server or missing authentication',
  senderSide: true,
  matches,
  probe: (f) => {
    if (f.reason === NAME_) return true;
    // Refused at connection or greeting: that is a block, not relaying.
    if (f.command === 'CONN' || f.command === 'EHLO' || f.command === 'HELO') return false;
    return matches(f.text);
  },
};
