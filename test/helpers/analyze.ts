import { analyzeMessage } from '../../src/analyze-message.ts';
import { fixture } from './fixtures.ts';

/** A fixture's analysis as a compact row: kind, then [address, status, reply, reason, hard] per recipient. */
export function row(path: string) {
  const { analysis } = analyzeMessage(fixture(path));
  return {
    kind: analysis.kind,
    recipients: analysis.recipients.map((r) => [
      r.address,
      r.status ?? null,
      r.replyCode ?? null,
      r.reason,
      r.hard,
    ]),
  };
}
