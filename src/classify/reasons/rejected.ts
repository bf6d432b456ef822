import { phraseMatcher, type ReasonRule } from './reason-rule.ts';
import { reasonForStatus } from '../status-reasons.ts';

// 550 5.1.8 <sender@example.org>... Domain of sender address does not exist
const NAME_ = 'rejected';
export const matches = phraseMatcher({
  any: [
    'access denied (in reply to mail from command)',
    'access denied (sender blacklisted)',
    'address rejected',
    'administrative prohibition',
    'batv failed to verify',
    'batv validation failure',
    'backscatter protection detected an invalid or expired email address',
    "because the sender isn't on the recipient's list of senders to accept mail from",
    'bogus mail from',
    "can't determine purported responsible address",
    'connections not accepted from servers without a valid sender domain',
    'denied [bouncedeny]',
    'denied by secumail valid-address-filter',
    'delivery not authorized, message refused',
    'does not exist e2110',
    'domain of sender address ',
    'email address is on senderfilterconfig list',
    'emetteur invalide',
    'empty envelope senders not allowed',
    'envelope blocked - ',
    'error: no third-party dsns',
    'from: domain is invalid. please provide a valid from:',
    'fully qualified email address required',
    'invalid domain, see <url:',
    'invalid sender',
    'is not a registered gateway user',
    'mail from not owned by user',
    'message rejected: email address is not verified',
    'mx records for ',
    'null sender is not allowed',
    'recipient addresses rejected : access denied',
    'recipient not accepted. (batv: no tag',
    'returned mail not accepted here',
    'rfc 1035 violation: recursive cname records for',
    'rule imposed mailbox access for',
    'sending this from a different address or alias using the ',
    'sender address has been blacklisted',
    'sender email address rejected',
    'sender is in my black list',
    'sender is spammer',
    'sender not pre-approved',
    'sender rejected',
    'sender domain is empty',
    'sender verify failed',
    'sender was rejected',
    'spam reporting address',
    'syntax error: empty email address',
    'the message has been rejected by batv defense',
    'this server does not accept mail from',
    'transaction failed unsigned dsn for',
    'unroutable sender address',
    'you are not allowed to post to this mailing list',
    'you are sending to/from an address that has been blacklisted',
    'your access to submit messages to this e-mail system has been rejected',
    'your email address has been blacklisted',
  ],
  not: ['5.1.0 address rejected', 'recipient address rejected', 'sender ip address rejected'],
});

export const rejected: ReasonRule = {
  name: NAME_,
  description: 'Your envelope sender address was rejected',
  advice:
    'the envelope sender was refused: check that the Return-Path domain exists and has MX and SPF records',
  senderSide: true,
  matches,
  probe: (f) => {
    if (f.reason === NAME_) return true;
    const byStatus = reasonForStatus(f.status);
    if (byStatus === NAME_) return true;
    // The envelope sender is judged at MAIL FROM; at DATA or with a vague status the
    // text decides.
    if (f.command === 'MAIL') return matches(f.text);
    if (f.command === 'DATA') return byStatus !== 'userunknown' && matches(f.text);
    if (!byStatus || byStatus === 'securityerror' || byStatus === 'systemerror') return matches(f.text);
    return false;
  },
};
