import { phraseMatcher, type ReasonRule } from './reason-rule.ts';

// 556 5.1.10 Recipient address has null MX
const NAME_ = 'notaccept';
export const matches = phraseMatcher({
  any: [
    'null mx',
    'nullmx',
    'rfc7505',
    'rfc 7505',
    'indicated no smtp service',
    "doesn't receive email",
    'does not receive email',
    'domain does not accept email',
    'domain does not accept mail',
    'accepts no mail',
    'does not accept mail (nullmx)',
    'host/domain does not accept mail',
    'host does not accept mail',
    'mail receiving disabled',
    'name server: .: host not found',
    'no mx record found for domain=',
    'no route for current request',
    'smtp protocol returned a permanent error',
  ],
});

export const notAccept: ReasonRule = {
  name: NAME_,
  description: "The recipient's domain accepts no mail (null MX)",
  advice: 'suppress',
  senderSide: false,
  matches,
  probe: (f) => f.reason === NAME_ || f.replyCode === '521' || f.replyCode === '556' || matches(f.text),
};
