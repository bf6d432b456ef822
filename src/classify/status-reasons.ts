// The reason an RFC 3463 status code stands for, when the text says nothing more precise.
// Codes are matched exactly first, then by class.subject.

const EXACT: Readonly<Record<string, string>> = {
  '1.1': 'userunknown', // Bad destination mailbox address
  '1.2': 'hostunknown', // Bad destination system address
  '1.3': 'userunknown', // Bad destination mailbox address syntax
  '1.4': 'userunknown', // Destination mailbox address ambiguous
  '1.5': 'delivered', // Destination address valid
  '1.6': 'hasmoved', // Destination mailbox has moved, no forwarding address
  '1.7': 'rejected', // Bad sender's mailbox address syntax
  '1.8': 'rejected', // Bad sender's system address
  '1.10': 'notaccept', // Recipient address has null MX (RFC 7505 §4.2)
  '2.0': 'filtered',
  '2.1': 'suspend', // Mailbox disabled, not accepting messages
  '2.2': 'mailboxfull',
  '2.3': 'exceedlimit', // Message length exceeds administrative limit
  '2.4': 'systemerror', // Mailing list expansion problem
  '3.0': 'systemerror',
  '3.1': 'systemfull', // Mail system full
  '3.2': 'notaccept', // System not accepting network messages
  '3.3': 'systemerror',
  '3.4': 'mesgtoobig', // Message too big for system
  '3.5': 'systemerror',
  '4.0': 'networkerror',
  '4.1': 'networkerror', // No answer from host
  '4.2': 'networkerror', // Bad connection
  '4.3': 'systemerror', // Directory server failure
  '4.4': 'hostunknown', // Unable to route
  '4.5': 'networkerror', // Mail system congestion
  '4.6': 'networkerror', // Routing loop detected
  '4.7': 'expired', // Delivery time expired
  '5.3': 'syntaxerror', // Too many recipients is a client error too
  '6.0': 'contenterror',
  '7.0': 'securityerror',
  '7.1': 'securityerror',
  '7.20': 'authfailure', // No passing DKIM signature found (RFC 7372)
  '7.23': 'authfailure', // SPF validation failed
  '7.25': 'requireptr', // Reverse DNS validation failed
  '7.26': 'authfailure', // Multiple authentication checks failed
};

const BY_SUBJECT: Readonly<Record<string, string>> = {
  '1': 'userunknown',
  '2': 'mailboxfull',
  '3': 'systemerror',
  '4': 'networkerror',
  '5': 'syntaxerror',
  '6': 'contenterror',
  '7': 'securityerror',
};

export function reasonForStatus(status: string | undefined): string | undefined {
  if (!status) return undefined;
  const [cls, subject, detail] = status.split('.');
  if (cls === '2') return 'delivered';
  if (subject === '0' && detail === '0') return undefined;
  return EXACT[`${subject}.${detail}`] ?? BY_SUBJECT[subject ?? ''];
}
