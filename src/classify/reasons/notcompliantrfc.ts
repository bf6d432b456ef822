import { phraseMatcher, type ReasonRule } from './reason-rule.ts';

// 550 5.7.1 This message is not RFC 5322 compliant
const NAME_ = 'notcompliantrfc';
export const matches = phraseMatcher({
  any: [
    'duplicate header',
    'this message is not rfc 5322 compliant',
    'https://support.google.com/mail/?p=rfcmessagenoncompliant',
  ],
  inOrder: [[' multiple ', ' header']],
});

export const notCompliantRfc: ReasonRule = {
  name: NAME_,
  description: 'Your message is not RFC 5322 compliant',
  advice: 'fix the message format',
  senderSide: true,
  matches,
  probe: (f) => f.reason === NAME_ || matches(f.text),
};
