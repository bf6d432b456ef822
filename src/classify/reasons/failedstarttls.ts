import { phraseMatcher, type ReasonRule } from './reason-rule.ts';

// 530 5.7.0 Must issue a STARTTLS command first
const NAME_ = 'failedstarttls';
export const matches = phraseMatcher({
  any: ['starttls is required to send mail', 'tls required but not supported'],
});

export const failedStartTls: ReasonRule = {
  name: NAME_,
  description: 'TLS could not be negotiated',
  advice: 'check TLS on the sending side',
  senderSide: true,
  matches,
  probe: (f) =>
    f.reason === NAME_ ||
    f.command === 'STARTTLS' ||
    f.replyCode === '523' ||
    f.replyCode === '524' ||
    f.replyCode === '538' ||
    matches(f.text),
};
