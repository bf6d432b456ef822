import { phraseMatcher, type ReasonRule } from './reason-rule.ts';

// 550 5.2.1 The email account that you tried to reach is disabled
const NAME_ = 'suspend';
export const matches = phraseMatcher({
  any: [
    ' is currently suspended',
    ' temporary locked',
    'archived recipient',
    'boite du destinataire archivee',
    'email account that you tried to reach is disabled',
    'has been suspended',
    'inactive account',
    'invalid/inactive user',
    'is a deactivated mailbox',
    'is unavailable: user is terminated',
    'mailbox currently suspended',
    'mailbox disabled',
    'mailbox is frozen',
    'mailbox unavailable or access denied',
    'recipient rejected: temporarily inactive',
    'recipient suspend the service',
    'the email account that you tried to reach is inactive',
    'this account has been disabled or discontinued',
    'this account has been temporarily suspended',
    'this address no longer accepts mail',
    'this mailbox is disabled',
    'user or domain is disabled',
    'user suspended',
    'vdelivermail: account is locked email bounced',
  ],
});

export const suspend: ReasonRule = {
  name: NAME_,
  description: "The recipient's mailbox is suspended or disabled",
  advice: 'stop sending for now; suppress if it persists',
  senderSide: false,
  matches,
  probe: (f) => f.reason === NAME_ || f.replyCode === '525' || matches(f.text),
};
