import { normalizeAddress } from '../address.ts';
import { readOriginal } from '../entity-tools.ts';
import type { MessageView } from '../message-view.ts';
import type { Report, ReportRecipient } from '../report.ts';
import { type Dialect, joinLines } from './dialect.ts';

// Postfix without a DSN part (old versions, and relays that drop it):
//
//   This is the Postfix program at host smtp.mirror.example.ne.jp.
//   I'm sorry to have to inform you that the message returned
//   below could not be delivered to one or more destinations.
//
//   <kijitora@user.example.or.jp>: host
//       mx.user.example.or.jp[192.0.2.22] said: 550
//       <kijitora@user.example.or.jp>: User unknown (in reply to RCPT TO command)
//
// and Postfix's SMTP server notice to the postmaster ("Postfix SMTP server: errors from"),
// a transcript of "In:" and "Out:" lines.

const START = ['This is the Postfix program', "I'm sorry to have to inform you that the message returned"];

export const postfix: Dialect = {
  name: 'postfix',
  detect(view: MessageView): boolean {
    return (
      START.some((s) => view.text.includes(s)) || view.subject.startsWith('Postfix SMTP server: errors from')
    );
  },
  parse(view: MessageView): Report | undefined {
    const recipients = view.subject.startsWith('Postfix SMTP server: errors from')
      ? fromServerTranscript(view.text)
      : fromNotice(view.text);
    if (recipients.length === 0) return undefined;
    return {
      type: 'delivery-status',
      format: 'postfix',
      recipients,
      original: readOriginal(view.entity) ?? {},
    };
  },
};

function fromNotice(text: string): ReportRecipient[] {
  const lines = text.split('\n');
  const start = lines.findIndex((l) => START.some((s) => l.includes(s)));
  if (start === -1) return [];
  const blocks: { address: string; lines: string[] }[] = [];
  for (const line of lines.slice(start + 1)) {
    const m = /^<([^<>\s]+@[^<>\s]+)>(?: \(expanded from <[^>]*>\))?:\s*(.*)$/.exec(line);
    const address = m ? normalizeAddress(m[1]) : undefined;
    if (address) {
      blocks.push({ address, lines: [m![2]!] });
      continue;
    }
    const current = blocks.at(-1);
    if (current && /^\s/.test(line) && line.trim()) current.lines.push(line);
    else if (current && !line.trim()) continue;
  }
  return blocks.map((b) => {
    const diagnostic = joinLines(b.lines);
    const command = /in reply to (?:end of )?(RCPT|MAIL|DATA|HELO|EHLO)/i
      .exec(diagnostic)?.[1]
      ?.toUpperCase();
    const host = /host ([\w.-]+)\[/.exec(diagnostic)?.[1];
    return { address: b.address, action: 'failed', diagnostic, command, remoteMta: host };
  });
}

/** " In:  RCPT TO:<kijitora@libsisimai.net>" then " Out: 451 4.3.0 …": the failing reply. */
function fromServerTranscript(text: string): ReportRecipient[] {
  const lines = text.split('\n').map((l) => l.trim());
  const out: ReportRecipient[] = [];
  let address: string | undefined;
  let command: string | undefined;
  for (const line of lines) {
    const sent = /^In:\s+(\S+)(.*)$/.exec(line);
    if (sent) {
      command = sent[1]!.toUpperCase().slice(0, 4);
      const rcpt = /^RCPT TO:\s*<([^<>\s]+)>/i.exec(`${sent[1]}${sent[2]}`);
      if (rcpt) address = normalizeAddress(rcpt[1]);
      continue;
    }
    const reply = /^Out:\s+([45]\d\d\b.*)$/.exec(line);
    if (reply && address && !out.some((r) => r.address === address)) {
      out.push({ address, action: 'failed', diagnostic: reply[1], command });
    }
  }
  return out;
}
