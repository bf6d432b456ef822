import { byPhrase, type Provider } from './provider.ts';

// Gmail's SMTP replies: https://support.google.com/a/answer/3726730
const PHRASES: Readonly<Record<string, readonly string[]>> = {
  authfailure: [
    'the spf record of the sending domain', // 550 5.7.24
    'senders to authenticate with either spf or dkim', // 421 4.7.26 / 550 5.7.26
    'fails to pass spf checks for an spf record with a hard fail',
    'has an spf record with a hard fail policy',
    "is not accepted due to domain's dmarc policy",
    'fails to pass authentication checks',
    'senders to authenticate with spf',
    'senders to authenticate their email with spf',
    'senders to authenticate their email with dkim',
    'senders to authenticate with dkim',
    'aligned with either the authenticated spf or dkim',
    'to add a dmarc record to ',
  ],
  badreputation: [
    'very low reputation of the sending ip address', // 421 4.7.0
    'very low reputation of the sending domain',
  ],
  blocked: [
    'ip not in whitelist for rcpt domain',
    'try again later, closing connection.',
    'empty helo/ehlo argument not allowed',
    'helo/ehlo argument is invalid',
    'an unusual rate of unsolicited mail', // 550 5.7.1 / 5.7.28
    'an unusual rate of mail',
  ],
  exceedlimit: ["exceeded google's message size limits"],
  expired: ['connection expired', 'timeout - closing connection'],
  failedstarttls: [
    'must issue a starttls command first',
    'starttls may not be repeated',
    'tls required for rcpt domain',
    'senders to use tls/ssl for smtp',
  ],
  mailboxfull: ['inbox is out of storage space', 'is over quota', 'email quota exceeded'],
  mesgtoobig: ["exceeds google's message size limit of"],
  networkerror: ['message exceeded 50 hops'],
  norelaying: [
    'mail relay denied',
    'invalid credentials for relay',
    'is not authorized to send email directly to our servers',
  ],
  notcompliantrfc: [
    'missing a valid address in the from: header',
    'multiple addresses in from: header are not accepted',
    'is not rfc 5322 compliant',
    'missing a valid message-id: header',
    'contains a unicode character in a disallowed header',
    'encoded-word syntax is not permitted',
    'is not a valid rfc 5321 address',
    'mail message is malformed',
  ],
  policyviolation: [
    'illegal attachment on your message',
    'blocked because its content presents a potential security issue',
    'you are sending to (or from) has a policy that prohibited',
    'sending messages with the same message-id:',
  ],
  rejected: ['mail sending denied', 'unauthenticated email is not accepted'],
  requireptr: [
    'does not have a ptr record',
    ' have a ptr record, or the ptr record',
    'does not meet ipv6 sending guidelines regarding ptr records and authentication',
    'does not match the ip address of the hostname',
  ],
  securityerror: [
    'too many login attempts',
    'no identity changes permitted',
    'application-specific password required',
    'please log in with your web browser',
    'please log in through your web browser',
    'username and password not accepted',
  ],
  spamdetected: ['due to the nature of the content or the links within', 'likely unsolicited mail'],
  speeding: [
    'is receiving mail too quickly',
    'peak smtp relay limit exceeded for customer',
    'rate that prevents additional messages from being delivered',
    'daily sending quota exceeded',
    'daily user sending limit exceeded',
    'daily smtp relay limit exceeded for',
    'daily smtp relay sending limit exceeded for',
    'this mail has been rate limited',
  ],
  suspend: ['account that you tried to reach is disabled', 'account that you tried to reach is inactive'],
  systemerror: [
    'temporary system problem',
    'multiple destination domains per transaction is unsupported',
    'mail server has temporarily rejected this message',
    'mail server temporarily rejected message',
    'domain policy size per transaction exceeded',
  ],
  toomanyconn: ['your message has too many recipients', 'too many recipients for this sender'],
  userunknown: [
    'the email account that you tried to reach does not exist', // 550 5.1.1
    'no such user',
  ],
};

export const google: Provider = {
  name: 'google',
  hosts: ['aspmx.l.google.com', 'gmail-smtp-in.l.google.com'],
  find: (f) => (f.text ? byPhrase(f.text, PHRASES) : undefined),
};
