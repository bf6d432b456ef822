import type { Analysis } from '../classify/analysis.ts';
import { normalizeAddress } from '../parse/address.ts';
import type { MessageInfo } from '../parse/report.ts';
import { type VerpCheck, type VerpSettings, verifyReturnPath } from './verp.ts';

export type CheckMode = 'off' | 'record' | 'enforce';

export interface ReportCheckSettings {
  /** Signed VERP return paths (verp.mode). */
  readonly mode: CheckMode;
  readonly verp: VerpSettings;
  /** The alternative without VERP: the sender's sent-message log (verp.sentLog). */
  readonly sentLog: CheckMode;
}

/** The sender's log: was this message sent to this recipient? */
export type SentLog = (messageId: string, recipient: string) => Promise<boolean>;

export interface ReportCheck {
  /** valid, missing, invalid, expired, mismatch (VERP); sent, unsent (sent log). */
  readonly verp?: VerpCheck | 'sent' | 'unsent';
  /** Enforced and not genuine: evidence only, never a suppression. */
  readonly forged: boolean;
}

/**
 * Whether a failure report is genuine, for one failed recipient. The return path the
 * report was sent back to is read from the report's Delivered-To, X-Original-To and To,
 * and from the returned message's Return-Path; the best result counts (one valid path is
 * enough).
 */
export function reportChecker(settings: ReportCheckSettings, sentLog: SentLog) {
  return async (address: string, message: MessageInfo, analysis: Analysis): Promise<ReportCheck> => {
    if (settings.mode !== 'off') {
      const paths = [...(message.sentTo ?? []), analysis.originalReturnPath]
        .flatMap((field) => (field ?? '').split(','))
        .map((a) => normalizeAddress(a))
        .filter((a): a is string => Boolean(a));
      const checks = paths.map((p) => verifyReturnPath(p, address, settings.verp));
      const verp = checks.includes('valid') ? 'valid' : (checks.find((c) => c !== 'missing') ?? 'missing');
      return { verp, forged: settings.mode === 'enforce' && verp !== 'valid' };
    }
    if (settings.sentLog !== 'off') {
      const id = analysis.originalMessageId;
      const verp = id && (await sentLog(id, address)) ? 'sent' : 'unsent';
      return { verp, forged: settings.sentLog === 'enforce' && verp === 'unsent' };
    }
    return { forged: false };
  };
}
