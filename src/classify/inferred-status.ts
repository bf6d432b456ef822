// When a message carries no status code at all, the one the reason stands for (RFC 3463),
// so that every stored failure has a class. Recorded with statusSource "inferred".

const PERMANENT: Readonly<Record<string, string>> = {
  userunknown: '5.1.1',
  hostunknown: '5.1.2',
  hasmoved: '5.1.6',
  notaccept: '5.1.10',
  rejected: '5.1.8',
  suspend: '5.2.1',
  filtered: '5.2.0',
  mailboxfull: '5.2.2',
  exceedlimit: '5.2.3',
  systemfull: '5.3.1',
  mesgtoobig: '5.3.4',
  systemerror: '5.3.0',
  networkerror: '5.4.0',
  expired: '5.4.7',
  syntaxerror: '5.5.2',
  toomanyconn: '5.5.3',
  contenterror: '5.6.0',
  securityerror: '5.7.0',
  blocked: '5.7.1',
  spamdetected: '5.7.1',
  policyviolation: '5.7.1',
  virusdetected: '5.7.1',
  norelaying: '5.7.1',
  authfailure: '5.7.26',
  requireptr: '5.7.25',
  notcompliantrfc: '5.7.1',
  badreputation: '5.7.1',
  speeding: '4.7.1',
  failedstarttls: '5.7.10',
  mailererror: '5.3.0',
};

export function inferStatus(reason: string, transient: boolean): string | undefined {
  const code = PERMANENT[reason];
  if (!code) return undefined;
  return transient ? `4${code.slice(1)}` : code;
}
