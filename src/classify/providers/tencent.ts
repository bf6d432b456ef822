import { byPhrase, type Provider } from './provider.ts';

// QQ Mail / Tencent: https://service.mail.qq.com/detail/122
const PHRASES: Readonly<Record<string, readonly string[]>> = {
  authfailure: ['spf check failed', 'dmarc check failed'],
  blocked: ['suspected bounce attacks', 'suspected spam ip', 'connection denied'],
  mesgtoobig: ['message too large'],
  rejected: ['suspected spam', 'mail is rejected by recipients'],
  spamdetected: ['spam is embedded in the email', 'mail content denied'],
  speeding: ['mailbox unavailable or access denined', 'frequency of receiving messages is limited'],
  suspend: ['is a deactivated mailbox'],
  syntaxerror: ['bad address syntax'],
  toomanyconn: [
    'ip frequency limited',
    'domain frequency limited',
    'sender frequency limited',
    'connection frequency limited',
  ],
  userunknown: ['mailbox not found'],
};

export const tencent: Provider = {
  name: 'tencent',
  hosts: ['.qq.com'],
  find: (f) => (f.text ? byPhrase(f.text, PHRASES) : undefined),
};
