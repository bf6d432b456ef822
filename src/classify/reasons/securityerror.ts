import { phraseMatcher, type ReasonRule } from './reason-rule.ts';

// 530 5.7.0 Authentication required
const NAME_ = 'securityerror';
export const matches = phraseMatcher({
  any: [
    'account not subscribed to ses',
    'authentication credentials invalid',
    'authentication failure',
    'authentication required',
    'authentication turned on in your email client',
    'executable files are not allowed in compressed files',
    'insecure mail relay',
    'recipient address rejected: access denied',
    "sorry, you don't authenticate or the domain isn't in my list of allowed rcpthosts",
    'unauthenticated senders not allowed',
    'verification failure',
    'you are not authorized to send mail, authentication is required',
  ],
  inOrder: [
    ['authentication failed; server ', ' said: '],
    ['authentification invalide', '305'],
    ['authentification requise', '402'],
    ['domain ', ' is a dead domain'],
    ['user ', ' is not authorized to perform ses:sendrawemail on resource'],
  ],
});

export const securityError: ReasonRule = {
  name: NAME_,
  description: 'Rejected for a security reason (authentication, relay or encryption)',
  advice: 'fix the sending: the receiver requires authentication or encryption it did not get',
  senderSide: true,
  matches,
  probe: (f) => f.reason === NAME_,
};
