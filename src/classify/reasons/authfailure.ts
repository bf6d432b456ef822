import { reasonForStatus } from '../status-reasons.ts';
import { phraseMatcher, type ReasonRule } from './reason-rule.ts';

// 550 5.7.26 This mail has been blocked because the sender is unauthenticated
const NAME_ = 'authfailure';
export const matches = phraseMatcher({
  any: [
    '//spf.pobox.com',
    'bad spf records for',
    'dmarc policy',
    "doesn't meet the required authentication level",
    'please inspect your spf settings',
    'sender policy framework (spf) fail',
    'sender policy framework violation',
    'spf (sender policy framework) domain authentication fail',
    'spf check: fail',
    "the 5322.from address doesn't meet the authentication requirements defined for the sender",
  ],
  inOrder: [
    [' is not allowed to send mail.', '_401'],
    ['is not allowed to send from <', " per it's spf record"],
  ],
});

export const authFailure: ReasonRule = {
  name: NAME_,
  description: "The receiver rejected your mail's authentication (SPF/DKIM/DMARC)",
  advice:
    'publish SPF for the Return-Path domain, sign with DKIM aligned to the From domain, and publish a DMARC record',
  senderSide: true,
  matches,
  probe: (f) => f.reason === NAME_ || reasonForStatus(f.status) === NAME_ || matches(f.text),
};
