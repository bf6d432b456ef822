import { byPhrase, type Provider } from './provider.ts';

// GoDaddy (secureserver.net): "IB" codes, https://www.godaddy.com/help/fix-rejected-email-with-a-bounce-error-40685
const CODES: Readonly<Record<string, string>> = {
  IB401: 'securityerror', // 535 Authentication not allowed on IBSMTP Servers.
  IB501: 'notcompliantrfc', // Blank From: addresses are not allowed.
  IB502: 'notcompliantrfc', // IP addresses are not allowed as a From: Address.
  IB506: 'rejected', // From: Domain is invalid. Provide a valid From:
  IB508: 'authfailure', // Invalid SPF record.
  IB108: 'requireptr', // Reverse DNS for this IP failed.
  IB212: 'spamdetected',
  IB705: 'virusdetected',
  IB605: 'toomanyconn',
  IB007: 'toomanyconn', // too many sessions from This IP
  IB101: 'speeding',
  IB110: 'blocked',
  IB111: 'blocked',
  IB112: 'blocked',
  IB113: 'blocked',
  IB504: 'speeding', // This IP has sent too many messages this hour.
  IB510: 'speeding',
  IB607: 'speeding',
  IB103: 'badreputation', // poor reputation on Cloudmark Sender Intelligence
  IB104: 'blocked', // Spamhaus SBL
  IB105: 'blocked', // Spamhaus XBL
  IB106: 'blocked', // Spamhaus PBL
};

const PHRASES: Readonly<Record<string, readonly string[]>> = {
  blocked: ['rbl reject', 'www.spamhaus.org/query/bl?ip='],
  expired: ['has been in the queue too long', 'delivery timeout'],
  mailboxfull: ['account storage limit'],
  spamdetected: ['message rejected for spam or virus content'],
  suspend: ['account disabled'],
  systemerror: ['message is looping'],
  userunknown: ['recipient not found', 'account does not exist'],
};

export const godaddy: Provider = {
  name: 'godaddy',
  hosts: ['smtp.secureserver.net', 'mailstore1.secureserver.net'],
  find(f) {
    const code = /\b(IB\d{3})\b/.exec(f.original)?.[1];
    if (code && CODES[code]) return CODES[code];
    return f.text ? byPhrase(f.text, PHRASES) : undefined;
  },
};
