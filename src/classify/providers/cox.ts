import { byPhrase, type Provider } from './provider.ts';

// Cox: "AUP#CXBL" codes, https://www.cox.com/residential/support/cox-postmaster-email-administration.html
const CODES: Readonly<Record<string, string>> = {
  CXBL: 'blocked', // sending IP blocked for spam-like behaviour
  CXDNS: 'requireptr', // reverse DNS of the sending IP fails
  CXSNDR: 'authfailure', // SPF/DKIM checks of the sending domain failed
  CXSMTP: 'rejected',
  CXCNCT: 'toomanyconn',
  CXMXRT: 'toomanyconn',
  CDRBL: 'blocked',
  CXTHRT: 'securityerror',
  CXMJ: 'securityerror',
  IPBL0001: 'blocked',
  IPBL0010: 'blocked',
  IPBL0100: 'blocked',
  IPBL0011: 'blocked',
  IPBL0101: 'blocked',
  IPBL0110: 'blocked',
  IPBL0111: 'blocked',
  IPBL1000: 'blocked',
  IPBL1001: 'blocked',
  IPBL1010: 'blocked',
  IPBL1011: 'blocked',
  IPBL1100: 'blocked',
  IPBL1101: 'blocked',
  IPBL1110: 'blocked',
  IPBL1111: 'blocked',
  IPBL00001: 'blocked',
  URLBL011: 'spamdetected',
  URLBL101: 'spamdetected',
  URLBL110: 'spamdetected',
  URLBL1001: 'spamdetected',
};

const PHRASES: Readonly<Record<string, readonly string[]>> = {
  blocked: ['cox too many bad commands from', 'too many invalid recipients'],
  requireptr: ['dns check failure - try again later', 'rejected - no rdns'],
  policyviolation: ['esmtp no data before greeting', 'attachment extension is forbidden'],
  rejected: ['sender rejected'],
  systemerror: ['esmtp server temporarily not available'],
  toomanyconn: [
    'too many sessions from',
    'requested action aborted: try again later',
    'message threshold exceeded',
  ],
  userunknown: ['recipient rejected'],
};

export const cox: Provider = {
  name: 'cox',
  hosts: ['cox.net'],
  find(f) {
    const code = /AUP#([A-Z0-9]+)/.exec(f.original)?.[1];
    if (code && CODES[code]) return CODES[code];
    return f.text ? byPhrase(f.text, PHRASES) : undefined;
  },
};
