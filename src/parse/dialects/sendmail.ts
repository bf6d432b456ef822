import { normalizeAddress } from '../address.ts';
import { readOriginal } from '../entity-tools.ts';
import type { MessageView } from '../message-view.ts';
import type { Report, ReportRecipient } from '../report.ts';
import type { Dialect } from './dialect.ts';
import { dsnOf, merged, type TextDetails } from './dsn-text.ts';
import { joinLines } from './dialect.ts';

// Sendmail. Its DSN's Diagnostic-Code keeps only the first line of a multi-line reply;
// the transcript has all of it, and the SMTP command:
//
//      ----- Transcript of session follows -----
//   ... while talking to gmail-smtp-in.l.google.com.:
//   >>> DATA
//   <<< 550-5.7.1 [192.0.2.222      13] Messages with multiple addresses in From:
//   <<< 550 5.7.1 header are not accepted. r7si1238383pli.26 - gsmtp
//   554 5.0.0 Service unavailable
//
// or, with no connection at all:
//   <kijitora@example.co.jp>... Deferred: Name server: example.co.jp.: host name lookup failure

const TRANSCRIPT = '----- Transcript of session follows -----';
const FATAL = '----- The following addresses had permanent fatal errors -----';

export const sendmail: Dialect = {
  name: 'sendmail',
  readsDsn: true,
  detect(view: MessageView): boolean {
    return view.text.includes(TRANSCRIPT) || view.text.includes(FATAL);
  },
  parse(view: MessageView): Report | undefined {
    const transcript = readTranscript(view.text);
    const dsn = dsnOf(view);
    let recipients: ReportRecipient[] = dsn?.recipients ?? [];
    if (recipients.length === 0) recipients = fatalList(view.text);
    // Sendmail 5 writes no DSN and no list: "550 <kijitora@example.org>... User unknown".
    if (recipients.length === 0) {
      recipients = [...transcript.keys()]
        .filter((k) => k !== '*')
        .map((address) => ({ address, action: 'failed' }));
    }
    if (recipients.length === 0) return undefined;
    return {
      type: 'delivery-status',
      format: 'sendmail',
      reportingMta: dsn?.reportingMta,
      arrivalDate: dsn?.arrivalDate,
      recipients: recipients.map((r) => merged(r, transcript.get(r.address) ?? transcript.get('*'))),
      original: readOriginal(view.entity) ?? {},
    };
  },
};

/**
 * The transcript: per address when it names one, else '*' for the session. Each ">>>"
 * command starts a block; the failure that matters is the first block that got a reply
 * (a later "503 need RCPT command" after DATA is a consequence, not the cause).
 */
function readTranscript(text: string): Map<string, TextDetails> {
  const out = new Map<string, TextDetails>();
  const at = text.indexOf(TRANSCRIPT);
  if (at === -1) return out;
  const lines = text.slice(at + TRANSCRIPT.length).split('\n');
  let host: string | undefined;
  const blocks: { command?: string; sent: string; replies: string[] }[] = [];
  for (const line of lines) {
    if (line.startsWith('--') || line.includes('----- Unsent message follows -----')) break;
    const talking = /^(?:\.\.\. while|While) talking to ([^\s:]+?)\.?:/.exec(line);
    if (talking) {
      host = talking[1];
      continue;
    }
    if (line.startsWith('>>> ')) {
      blocks.push({ command: /^>>> (\w{4})/.exec(line)?.[1]?.toUpperCase(), sent: line, replies: [] });
      continue;
    }
    if (line.startsWith('<<< ')) {
      blocks.at(-1)?.replies.push(line.slice(4));
      continue;
    }
    // "<kijitora@example.co.jp>... Deferred: Connection refused by mx.example.ne.jp."
    // "550 <kijitora@example.org>... User unknown" (Sendmail 5)
    const perAddress = /^(?:\d{3} )?<([^<>\s]+@[^<>\s]+)>\.\.\. (.+)$/.exec(line.trim());
    const address = normalizeAddress(perAddress?.[1]);
    if (address && perAddress && !out.has(address)) {
      out.set(address, {
        diagnostic: line.trim().replace(/^<[^>]+>\.\.\. /, ''),
        command: blocks.at(-1)?.command,
        remoteMta: host,
      });
    }
  }
  const replied = blocks.filter((b) => b.replies.length);
  for (const b of replied) {
    // ">>> RCPT To:<addr>": that reply is this recipient's.
    const address = normalizeAddress(/<([^<>\s]+@[^<>\s]+)>/.exec(b.sent)?.[1]);
    if (address && b.command === 'RCPT' && !out.has(address)) {
      out.set(address, { diagnostic: joinLines(b.replies), command: b.command, remoteMta: host });
    }
  }
  const first = replied[0];
  if (first) out.set('*', { diagnostic: joinLines(first.replies), command: first.command, remoteMta: host });
  return out;
}

/** Without a DSN part: "<addr>" lines under the fatal-errors heading, "(reason: 550 …)". */
function fatalList(text: string): ReportRecipient[] {
  const at = text.indexOf(FATAL);
  if (at === -1) return [];
  const out: ReportRecipient[] = [];
  for (const line of text.slice(at + FATAL.length).split('\n')) {
    if (line.includes('-----')) break;
    const address = /^\s*<?([^<>\s]+@[^<>\s]+?)>?\s*$/.exec(line)?.[1];
    const normal = normalizeAddress(address);
    if (normal) out.push({ address: normal, action: 'failed' });
    const reason = /^\s*\(reason: (.+)\)\s*$/.exec(line)?.[1];
    const last = out.at(-1);
    if (reason && last) out[out.length - 1] = { ...last, diagnostic: reason };
  }
  return out;
}
