import { byPhrase, type Provider } from './provider.ts';

// Mimecast SMTP error codes: https://community.mimecast.com/s/article/Mimecast-SMTP-Error-Codes-842605754
const PHRASES: Readonly<Record<string, readonly string[]>> = {
  authfailure: [
    'spf sender invalid - envelope rejected',
    'dkim sender invalid - envelope rejected',
    'dmarc sender invalid - envelope rejected',
  ],
  badreputation: ['internal resources are temporarily unavailable', 'local ct ip reputation - (reject)'],
  blocked: ['sender address blocked', 'recipient temporarily unavailable', 'ip temporarily blacklisted'],
  failedstarttls: [
    'this route requires encryption (tls)',
    'this route requires tls version 1.2 or greater',
    'this route requires high-strength ciphers',
    'configuration is invalid for this certificate',
  ],
  mesgtoobig: ['maximum email size exceeded'],
  networkerror: ['the incorrect hostname used for inbounds', 'mail loop detected'],
  norelaying: ['open relay not allowed', 'open relay is not allowed'],
  notaccept: ['account inbounds disabled'],
  policyviolation: [
    'anti-spoofing policy - inbound not allowed',
    'rejected by header-based anti-spoofing policy',
    'message bounced due to content examination policy',
    'host network not allowed',
    'host network, not allowed',
  ],
  rejected: [
    'administrative prohibition envelope blocked',
    'envelope blocked - user entry',
    'envelope blocked - user domain entry',
    'rejected by header-based manually blocked senders - block for manual block',
    'rejected by header-based blocked senders - block policy for header from',
    'envelope rejected - block policy for envelope from address',
  ],
  securityerror: ['incorrect authentication data', 'submitter failed to authenticate'],
  systemerror: [
    'unable to process connection at this time',
    'message ended early',
    'unable to process command',
    'unable to process an email at this time',
  ],
  toomanyconn: [
    'account service is temporarily unavailable',
    'too many recipients',
    'exceeding outbound thread limit',
  ],
  userunknown: ['invalid address', 'user unknown', 'invalid recipient'],
  virusdetected: ['message contains virus', 'virus detected', 'malware detected'],
};

export const mimecast: Provider = {
  name: 'mimecast',
  hosts: ['.mimecast.com'],
  find: (f) => (f.replyCode && f.text ? byPhrase(f.text, PHRASES) : undefined),
};
