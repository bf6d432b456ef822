import { phraseMatcher, type ReasonRule } from './reason-rule.ts';

// 554 5.7.1 Message rejected due to local policy
const NAME_ = 'policyviolation';
export const matches = phraseMatcher({
  any: [
    'an illegal attachment on your message',
    'because the recipient is not accepting mail with ',
    'by non-member to a members-only list',
    'closed mailing list',
    'denied by policy',
    'email not accepted for policy reasons',
    'email rejected due to security policies',
    'header are not accepted',
    'header error',
    'local policy violation',
    'message bounced due to organizational settings',
    'message given low priority',
    'message not accepted for policy reasons',
    'message rejected due to local policy',
    'messages with multiple addresses',
    'rejected for policy reasons',
    'protocol violation',
    'the email address used to send your message is not subscribed to this group',
    'the message was rejected by organization policy',
    'this message was blocked because its content presents a potential',
    'we do not accept messages containing images or other attachments',
    "you're using a mass mailer",
  ],
  inOrder: [['you have exceeded the', 'allowable number of posts without solving a captcha']],
});

export const policyViolation: ReasonRule = {
  name: NAME_,
  description: "Rejected by the receiver's policy",
  advice: "read the diagnostic: the receiver's policy refused the mail; fix the content or the sending",
  senderSide: true,
  matches,
  probe: (f) => f.reason === NAME_,
};
