import { normalizeAddress } from '../address.ts';
import type { MessageView } from '../message-view.ts';
import type { Report, ReportRecipient } from '../report.ts';
import type { Dialect } from './dialect.ts';

// Zoho Mail (X-ZohoMail header):
//
//   This message was created automatically by mail delivery software.
//   …
//   kijitora@example.co.jp Invalid Address, ERROR_CODE :550, ERROR_CODE :5.1.1 <…>... User Unknown
//   [Status: Error, Address: <kijitora@6kaku.example.co.jp>, ResponseCode 421, , Host not reachable.]

export const zoho: Dialect = {
  name: 'zoho',
  detect(view: MessageView): boolean {
    return view.headers.has('x-zohomail') || view.headers.has('x-zoho-virus-status');
  },
  parse(view: MessageView): Report | undefined {
    const recipients: ReportRecipient[] = [];
    // Quoted-printable soft breaks are decoded; what remains of a wrapped line joins here.
    for (const line of view.text.replace(/ERROR_CODE :5\.1\.\n/g, 'ERROR_CODE :5.1.').split('\n')) {
      const plain = /^(\S+@\S+) (.*ERROR_CODE :.*)$/.exec(line.trim());
      const status = /^\[Status: .*?Address: <([^<>\s]+@[^<>\s]+)>, ResponseCode (\d{3}), ,? ?(.*)\]$/.exec(
        line.trim(),
      );
      const address = normalizeAddress(plain?.[1] ?? status?.[1]);
      if (!address) continue;
      // "Invalid Address, ERROR_CODE :550, ERROR_CODE :5.1.1 <…>" → "Invalid Address, 550 5.1.1 <…>"
      const diagnostic = plain
        ? plain[2]!.replace(/ERROR_CODE :(\d{3}), ERROR_CODE :/, '$1 ').replace(/ERROR_CODE :/g, '')
        : `${status![2]} ${status![3]}`;
      recipients.push({
        address,
        action: 'failed',
        diagnostic,
        reason: /Host not reachable/.test(diagnostic) ? 'expired' : undefined,
      });
    }
    return recipients.length
      ? { type: 'delivery-status', format: 'zoho', recipients, original: {} }
      : undefined;
  },
};
