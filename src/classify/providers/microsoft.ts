import type { Provider } from './provider.ts';

// Exchange Online / Microsoft 365 NDR codes: https://learn.microsoft.com/exchange/mail-flow-best-practices/non-delivery-reports-in-exchange-online
// [status prefix, lowest and highest detail (inclusive, for ranges like 5.7.606-649), phrase]
type Rule = readonly [status: string, from: number, to: number, phrase: string];

const RULES: Readonly<Record<string, readonly Rule[]>> = {
  authfailure: [
    ['4.7.26', 0, 0, 'must pass either spf or dkim validation, this message is not signed'],
    ['5.7.23', 0, 0, 'the message was rejected because of sender policy framework violation'],
    ['5.7.509', 0, 0, 'does not pass dmarc verification'],
    ['5.7.515', 0, 0, "doesn't meet the required authentication level"],
  ],
  badreputation: [['4.7.650', 0, 0, 'has been temporarily rate limited due to ip reputation']],
  blocked: [
    ['4.4.2', 0, 0, 'connection dropped'],
    ['4.7.', 850, 899, 'access denied, please try again later'],
    ['5.7.25', 0, 0, 'must have a reverse dns record'],
    ['5.7.506', 0, 0, 'access denied, bad helo'],
    ['5.7.507', 0, 0, 'access denied, rejected by recipient'],
    ['5.7.510', 0, 0, 'does not accept email over ipv6'],
    ['5.7.511', 0, 0, 'access denied, banned sender'],
    ['5.7.513', 0, 0, 'using customer block list'],
    ['5.7.', 606, 649, 'access denied, banned sending ip '],
    ['4.7.', 500, 699, 'access denied, please try again later'],
    ['5.7.1', 0, 0, 'part of their network is on our block list (s3150)'],
    ['5.7.708', 0, 0, 'traffic not accepted from this ip'],
    ['5.7.750', 0, 0, 'client blocked from sending from unregistered domains'],
  ],
  contenterror: [
    ['5.3.0', 0, 0, 'too many related errors'],
    ['5.6.11', 0, 0, 'invalid characters'],
  ],
  exceedlimit: [['5.2.3', 0, 0, 'resolver.rst.recipsizelimit; message too large for this recipient']],
  mesgtoobig: [
    ['5.3.4', 0, 0, 'message size exceeds fixed maximum message size'],
    ['5.3.4', 0, 0, 'message too big for system'],
  ],
  expired: [
    ['4.4.1', 0, 0, 'connection timed out'],
    ['4.4.7', 0, 0, 'message delayed'],
    ['4.4.7', 0, 0, 'message expired'],
    ['5.4.300', 0, 0, 'message expired'],
    ['5.4.316', 0, 0, 'message expired'],
  ],
  failedstarttls: [
    ['4.4.317', 0, 0, 'starttls is required to send mail'],
    ['5.4.317', 0, 0, 'starttls is required to send mail'],
  ],
  hostunknown: [
    ['5.4.310', 0, 0, 'does not exist'], // DNS domain … does not exist
    ['5.4.312', 0, 0, 'does not exist'],
  ],
  mailboxfull: [['5.2.2', 0, 0, 'mailbox full']],
  networkerror: [['5.4.', 300, 399, '']],
  rejected: [
    ['5.1.8', 0, 0, 'access denied, bad outbound sender'],
    ['5.7.', 130, 136, ''], // RESOLVER.RST: not authorized to send to this group or recipient
  ],
  securityerror: [
    ['5.7.57', 0, 0, 'client was not authenticated to send anonymous mail'],
    ['5.7.60', 0, 0, 'not authorized to send as this sender'],
  ],
  speeding: [['4.7.', 500, 699, 'rate limit']],
  userunknown: [
    ['5.1.1', 0, 0, 'resolver.adr.recipientnotfound'],
    ['5.1.1', 0, 0, 'resolver.adr.recipnotfound'],
    ['5.1.10', 0, 0, 'recipient not found'],
    ['5.4.1', 0, 0, 'recipient address rejected: access denied'],
    ['5.2.1', 0, 0, 'mailbox cannot be accessed'],
  ],
};

function statusMatches(status: string, rule: Rule): boolean {
  const [prefix, from, to] = rule;
  if (from === 0) return status === prefix;
  if (!status.startsWith(prefix)) return false;
  const detail = Number(status.slice(prefix.length));
  return detail >= from && detail <= to;
}

export const microsoft: Provider = {
  name: 'microsoft',
  hosts: ['.prod.outlook.com', '.protection.outlook.com', '.onmicrosoft.com', '.exchangelabs.com'],
  find(f) {
    if (!f.status || !f.text) return undefined;
    for (const [reason, rules] of Object.entries(RULES)) {
      if (rules.some((r) => statusMatches(f.status!, r) && (!r[3] || f.text.includes(r[3])))) return reason;
    }
    return undefined;
  },
};
