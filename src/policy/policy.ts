import type { Analysis, RecipientVerdict } from '../classify/analysis.ts';

export interface SuppressDecision {
  /** What caused it: bounce (a hard failure) or complaint. */
  readonly source: 'bounce' | 'complaint';
  /** The cause in words, for the list and the digest. */
  readonly cause: string;
}

/**
 * Which recipients of a message are suppressed at once. A hard bounce is; a sender-side
 * failure never is (the address is fine, our sending is not).
 */
export function immediateSuppression(analysis: Analysis, r: RecipientVerdict): SuppressDecision | undefined {
  if (analysis.kind !== 'bounce' || r.action !== 'failed' || r.senderSide || !r.hard) return undefined;
  return { source: 'bounce', cause: `${r.reason}${r.status ? ` (${r.status})` : ''}` };
}
