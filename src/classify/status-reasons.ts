// The reason an RFC 3463 status code stands for on its own (IANA SMTP enhanced status code
// registry). Codes too vague to name a reason (4.3.0, 4.4.0, 4.5.0, 4.7.0, x.0.0) are absent.

const BY_STATUS: Readonly<Record<string, string>> = {
  '2.1.5': 'delivered', // Destination address valid
  '4.1.6': 'hasmoved',
  '4.1.7': 'rejected', // Bad sender's mailbox address syntax
  '4.1.8': 'rejected', // Bad sender's system address
  '4.1.9': 'systemerror',
  '4.2.1': 'blocked', // Mailbox disabled, not accepting messages (temporarily)
  '4.2.2': 'mailboxfull',
  '4.2.3': 'exceedlimit',
  '4.2.4': 'filtered',
  '4.3.1': 'systemfull',
  '4.3.2': 'notaccept',
  '4.3.3': 'systemerror',
  '4.3.5': 'systemerror',
  '4.4.1': 'expired', // No answer from host
  '4.4.2': 'networkerror',
  '4.4.3': 'systemerror',
  '4.4.4': 'networkerror',
  '4.4.5': 'systemfull', // Mail system congestion
  '4.4.6': 'networkerror',
  '4.4.7': 'expired',
  '4.4.8': 'networkerror',
  '4.5.3': 'systemerror',
  '4.5.5': 'systemerror',
  '4.6.0': 'contenterror',
  '4.6.2': 'contenterror',
  '4.6.5': 'contenterror',
  '4.7.1': 'blocked',
  '4.7.2': 'blocked',
  '4.7.5': 'securityerror',
  '4.7.6': 'securityerror',
  '4.7.7': 'securityerror',
  '4.7.12': 'securityerror',
  '4.7.15': 'securityerror',
  '4.7.16': 'mesgtoobig',
  '4.7.24': 'authfailure',
  '4.7.25': 'requireptr',
  '4.7.26': 'authfailure',
  '5.1.0': 'userunknown',
  '5.1.1': 'userunknown', // Bad destination mailbox address
  '5.1.2': 'hostunknown', // Bad destination system address
  '5.1.3': 'userunknown', // Bad destination mailbox address syntax
  '5.1.4': 'filtered', // Destination mailbox address ambiguous
  '5.1.6': 'hasmoved', // Destination mailbox has moved, no forwarding address
  '5.1.7': 'rejected',
  '5.1.8': 'rejected',
  '5.1.9': 'systemerror',
  '5.1.10': 'notaccept', // Recipient address has null MX (RFC 7505)
  '5.2.0': 'filtered',
  '5.2.1': 'filtered', // Mailbox disabled, not accepting messages
  '5.2.2': 'mailboxfull',
  '5.2.3': 'exceedlimit',
  '5.2.4': 'filtered',
  '5.3.0': 'systemerror',
  '5.3.1': 'systemfull',
  '5.3.2': 'notaccept',
  '5.3.3': 'systemerror',
  '5.3.4': 'mesgtoobig',
  '5.3.5': 'systemerror',
  '5.4.0': 'networkerror',
  '5.4.3': 'systemerror',
  '5.4.4': 'hostunknown', // Unable to route
  '5.5.2': 'syntaxerror',
  '5.5.3': 'toomanyconn', // Too many recipients
  '5.5.4': 'systemerror',
  '5.5.5': 'systemerror',
  '5.5.6': 'syntaxerror',
  '5.6.0': 'contenterror',
  '5.6.1': 'contenterror',
  '5.6.2': 'contenterror',
  '5.6.3': 'contenterror',
  '5.6.5': 'contenterror',
  '5.6.6': 'contenterror',
  '5.6.7': 'contenterror',
  '5.6.8': 'contenterror',
  '5.6.9': 'contenterror',
  '5.7.0': 'securityerror',
  '5.7.1': 'securityerror',
  '5.7.2': 'securityerror',
  '5.7.3': 'securityerror',
  '5.7.4': 'securityerror',
  '5.7.5': 'securityerror',
  '5.7.6': 'securityerror',
  '5.7.7': 'securityerror',
  '5.7.8': 'securityerror',
  '5.7.9': 'securityerror',
  '5.7.10': 'securityerror',
  '5.7.11': 'securityerror',
  '5.7.13': 'suspend', // User account disabled
  '5.7.14': 'securityerror',
  '5.7.15': 'securityerror',
  '5.7.16': 'mesgtoobig',
  '5.7.17': 'hasmoved', // Mailbox owner has changed
  '5.7.18': 'hasmoved', // Domain owner has changed
  '5.7.19': 'securityerror',
  '5.7.20': 'authfailure', // No passing DKIM signature found (RFC 7372)
  '5.7.21': 'authfailure',
  '5.7.22': 'authfailure',
  '5.7.23': 'authfailure', // SPF validation failed
  '5.7.24': 'authfailure',
  '5.7.25': 'requireptr', // Reverse DNS validation failed
  '5.7.26': 'authfailure', // Multiple authentication checks failed
  '5.7.27': 'notaccept', // Sender address has null MX
  '5.7.28': 'spamdetected', // Mail flood of similar abusive messages
  '5.7.29': 'authfailure', // ARC validation failed
  '5.7.30': 'failedstarttls', // REQUIRETLS support required
};

export function reasonForStatus(status: string | undefined): string | undefined {
  return status ? BY_STATUS[status] : undefined;
}
