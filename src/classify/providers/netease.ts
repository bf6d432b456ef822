import { type Provider } from './provider.ts';

// NetEase (163.com, 126.com, yeah.net, NetEase Qiye): replies carry a code of the form
// "554 DT:SPM …", "550 MI:SPF …", "451 RP:QRC …" (NetEase's postmaster documentation of
// its SMTP rejection codes: DT = content, MI = message/sender identity, RP = rate,
// IP = the sending IP).
const CODES: Readonly<Record<string, string>> = {
  'DT:SPM': 'spamdetected', // the content was judged spam
  'DT:RBL': 'blocked', // the sending IP is on a blocklist
  'IP:B37': 'blocked', // the sending IP is blocked for its recent reputation
  'IP:RBL': 'blocked',
  'MI:SPF': 'authfailure', // the sending IP is not permitted by the sender domain's SPF
  'MI:STC': 'speeding', // the sender's daily volume exceeded the limit
  'MI:SFQ': 'speeding', // the sender is sending too often
  'RP:QRC': 'speeding', // a large volume in a short time
  'RP:TRC': 'speeding',
  'RP:RCL': 'toomanyconn', // too many recipients in one message
};

export const netease: Provider = {
  name: 'netease',
  hosts: ['163.com', '126.com', 'yeah.net', 'netease.com', 'qiye.163.com'],
  find(f) {
    const code = /\b(DT|MI|RP|IP):([A-Z0-9]{3})\b/.exec(f.original);
    return code ? CODES[`${code[1]}:${code[2]}`] : undefined;
  },
};
