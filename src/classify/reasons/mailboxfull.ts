import { reasonForStatus } from '../status-reasons.ts';
import { phraseMatcher, type ReasonRule } from './reason-rule.ts';

// 450 4.2.2 <***@example.jp>... Mailbox Full
const NAME_ = 'mailboxfull';
export const matches = phraseMatcher({
  any: [
    '452 insufficient disk space',
    'account disabled temporarly for exceeding receiving limits',
    'boite du destinataire pleine',
    'exceeded storage allocation',
    'full mailbox',
    'mailbox exceeds allowed size',
    'mailbox size limit exceeded',
    'mailbox would exceed maximum allowed storage',
    'mailfolder is full',
    'no space left on device',
    'not sufficient disk space',
    'quota violation for',
    'too much mail data',
    'user has exceeded quota, bouncing mail',
    'user has too many messages on the server',
    "user's space has been used up",
  ],
  inOrder: [
    ['account is ', ' quota'],
    ['disk', 'quota'],
    ['enough ', ' space'],
    ['mailbox ', 'exceeded', ' limit'],
    ['mailbox ', 'full'],
    ['mailbox ', 'quota'],
    ['maildir ', 'quota'],
    ['over ', 'quota'],
    ['quota ', 'exceeded'],
  ],
});

export const mailboxFull: ReasonRule = {
  name: NAME_,
  description: 'Mailbox is full',
  advice: 'retry later; it is soft until it stays full',
  senderSide: false,
  matches,
  probe: (f) => f.reason === NAME_ || reasonForStatus(f.status) === NAME_ || matches(f.text),
};
