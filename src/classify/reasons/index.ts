import { authFailure } from './authfailure.ts';
import { badReputation } from './badreputation.ts';
import { blocked } from './blocked.ts';
import { contentError } from './contenterror.ts';
import { delivered } from './delivered.ts';
import { exceedLimit } from './exceedlimit.ts';
import { expired } from './expired.ts';
import { failedStartTls } from './failedstarttls.ts';
import { feedback } from './feedback.ts';
import { filtered } from './filtered.ts';
import { hasMoved } from './hasmoved.ts';
import { hostUnknown } from './hostunknown.ts';
import { mailboxFull } from './mailboxfull.ts';
import { mailerError } from './mailererror.ts';
import { mesgTooBig } from './mesgtoobig.ts';
import { networkError } from './networkerror.ts';
import { noRelaying } from './norelaying.ts';
import { notAccept } from './notaccept.ts';
import { notCompliantRfc } from './notcompliantrfc.ts';
import { onHold } from './onhold.ts';
import { policyViolation } from './policyviolation.ts';
import type { ReasonRule } from './reason-rule.ts';
import { rejected } from './rejected.ts';
import { requirePtr } from './requireptr.ts';
import { securityError } from './securityerror.ts';
import { spamDetected } from './spamdetected.ts';
import { speeding } from './speeding.ts';
import { suppressed } from './suppressed.ts';
import { suspend } from './suspend.ts';
import { syntaxError } from './syntaxerror.ts';
import { systemError } from './systemerror.ts';
import { systemFull } from './systemfull.ts';
import { tooManyConn } from './toomanyconn.ts';
import { undefinedReason } from './undefined.ts';
import { userUnknown } from './userunknown.ts';
import { vacation } from './vacation.ts';
import { virusDetected } from './virusdetected.ts';

/**
 * First pass: each reason's probe looks at the status, reply code, command and text
 * together. The order matters: a more specific reason comes before a broader one
 * (a full mailbox that also says "user" is full, not unknown).
 */
export const PROBE_ORDER: readonly ReasonRule[] = [
  mailboxFull,
  mesgTooBig,
  exceedLimit,
  suspend,
  hasMoved,
  noRelaying,
  authFailure,
  userUnknown,
  filtered,
  requirePtr,
  notCompliantRfc,
  badReputation,
  contentError,
  rejected,
  hostUnknown,
  spamDetected,
  speeding,
  tooManyConn,
  blocked,
];

/** Second pass, when the first found nothing or only a vague reason: the text alone. */
export const TEXT_ORDER: readonly ReasonRule[] = [
  mailboxFull,
  authFailure,
  badReputation,
  speeding,
  spamDetected,
  virusDetected,
  policyViolation,
  noRelaying,
  // A null MX (RFC 7505) is often reported inside a DNS error: the more specific first.
  notAccept,
  systemError,
  networkError,
  hostUnknown,
  suspend,
  contentError,
  systemFull,
  expired,
  failedStartTls,
  securityError,
  suppressed,
  mailerError,
];

/** Every reason, by name: for descriptions in the digest and the CSV. */
export const REASONS: ReadonlyMap<string, ReasonRule> = new Map(
  [
    authFailure,
    badReputation,
    blocked,
    contentError,
    delivered,
    exceedLimit,
    expired,
    failedStartTls,
    feedback,
    filtered,
    hasMoved,
    hostUnknown,
    mailboxFull,
    mailerError,
    mesgTooBig,
    networkError,
    noRelaying,
    notAccept,
    notCompliantRfc,
    onHold,
    policyViolation,
    rejected,
    requirePtr,
    securityError,
    spamDetected,
    speeding,
    suppressed,
    suspend,
    syntaxError,
    systemError,
    systemFull,
    tooManyConn,
    undefinedReason,
    userUnknown,
    vacation,
    virusDetected,
  ].map((r) => [r.name, r]),
);

export { syntaxError, vacation };

/** "Mailbox does not exist: suppress": a reason's description and advice on one line. */
export function reasonLine(name: string): string {
  const r = REASONS.get(name);
  return r ? `${r.description}: ${r.advice}` : name;
}
