import type { Fact } from './fact.ts';
import { providerOf } from './providers/index.ts';
import { PROBE_ORDER, syntaxError, TEXT_ORDER, vacation } from './reasons/index.ts';
import { reasonForStatus } from './status-reasons.ts';

/** Reasons a dialect may set that are still worth a second look at the text. */
const VAGUE = new Set([
  'undefined',
  'onhold',
  'systemerror',
  'securityerror',
  'expired',
  'networkerror',
  'hostunknown',
  'userunknown',
]);

/**
 * The reason for one failed recipient. A dialect's own reason wins unless it is vague;
 * then the probes (status + text + command), then the text alone, then what the status
 * code means, then what little is left (onhold when there is text, else undefined).
 */
export function findReason(f: Fact, providers = true): string {
  if (f.reason && !VAGUE.has(f.reason)) return f.reason;
  if (f.status?.startsWith('2.')) return 'delivered';
  const providerFact = { ...f, original: f.original ?? f.text };
  const byProvider = providers ? providerOf(providerFact)?.find(providerFact) : undefined;
  if (byProvider && byProvider !== 'undefined' && byProvider !== 'onhold') return byProvider;
  if (!f.diagnosticType || f.diagnosticType === 'smtp') {
    for (const rule of PROBE_ORDER) if (rule.probe(f)) return rule.name;
  }
  const other = fallback(f);
  if (other && other !== 'undefined') return other;
  if (f.action === 'delayed') return 'expired';
  if (vacation.matches(f.text)) return 'vacation';
  return f.text ? 'onhold' : 'undefined';
}

function fallback(f: Fact): string | undefined {
  if (f.reason && f.reason !== 'undefined' && f.reason !== 'onhold') return f.reason;
  const byStatus = reasonForStatus(f.status);
  if (byStatus && !VAGUE.has(byStatus) && (!f.diagnosticType || f.diagnosticType === 'smtp')) return byStatus;
  for (const rule of TEXT_ORDER) {
    if (!rule.matches(f.text)) continue;
    // Running out of retries is the outcome; a status that names the last attempt's
    // failure ("#4.4.3 Unable to contact LDAP server … in the queue too long") is the cause.
    if (rule.name === 'expired' && byStatus && byStatus !== 'expired') return byStatus;
    return rule.name;
  }
  if (byStatus) return byStatus;
  const subject = f.status?.slice(0, 3);
  if (subject === '5.6' || subject === '4.6') return 'contenterror';
  if (subject === '5.7' || subject === '4.7') return 'securityerror';
  if (f.diagnosticType?.startsWith('x-unix')) return 'mailererror';
  if (syntaxError.probe(f)) return 'syntaxerror';
  if (f.action === 'delayed' || f.action === 'expired') return 'expired';
  if (f.command === 'EHLO' || f.command === 'HELO') return 'blocked';
  return undefined;
}

/** hard: the address will never accept mail (the scorer's and Sisimai's definition). */
export function isHard(
  reason: string,
  status: string | undefined,
  replyCode: string | undefined,
  text: string,
): boolean {
  if (reason === 'userunknown' || reason === 'hostunknown' || reason === 'hasmoved') return true;
  if (reason !== 'notaccept') return false;
  // A null MX is permanent; a 4xx "not accepting" is a passing state.
  const cls = status?.[0] ?? replyCode?.[0];
  if (cls) return cls === '5';
  return !/ temporar| persistent/.test(text);
}
