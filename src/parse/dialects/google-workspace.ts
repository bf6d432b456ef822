import { normalizeAddress } from '../address.ts';
import type { MessageView } from '../message-view.ts';
import type { Report } from '../report.ts';
import { type Dialect, joinLines } from './dialect.ts';

// Google Workspace and today's Gmail, when they write prose instead of a DSN:
//
//   X-Failed-Recipients: neko@example.com
//
//   ** Message not delivered **
//
//   You're sending this from a different address or alias using the 'Send mail as'
//   feature. …
//
//   The response was:
//
//   Unspecified Error (SENT_SECOND_EHLO): Smtp server does not advertise AUTH capability

const HEADLINE = /^\*\* ([^*\n]{3,80}) \*\*\s*$/m;

export const googleWorkspace: Dialect = {
  name: 'google-workspace',
  detect(view: MessageView): boolean {
    return /mailer-daemon@(googlemail|gmail|google)\.com/i.test(view.from) && HEADLINE.test(view.text);
  },
  parse(view: MessageView): Report | undefined {
    const headline = HEADLINE.exec(view.text);
    if (!headline) return undefined;
    const body = view.text.slice(headline.index);
    const failed = (view.headers.get('x-failed-recipients') ?? '')
      .split(',')
      .map((a) => normalizeAddress(a))
      .filter((a): a is string => Boolean(a));
    // "Your message wasn't delivered to kijitora@example.com because …"
    const named = /delivered to (\S+@\S+?)[\s.,]/.exec(body)?.[1];
    const addresses = failed.length
      ? failed
      : [normalizeAddress(named)].filter((a): a is string => Boolean(a));
    if (addresses.length === 0) return undefined;
    const paragraphs = body.split(/\n\s*\n/).map((p) => p.trim());
    const responseAt = paragraphs.findIndex((p) => p.startsWith('The response was:'));
    const response =
      responseAt === -1 ? '' : (paragraphs[responseAt + 1] ?? paragraphs[responseAt]!.slice(17));
    const diagnostic = joinLines([headline[1]!, paragraphs[1] ?? '', response]);
    const delayed = /delayed|will keep trying|not delivered yet/i.test(headline[1]!);
    return {
      type: 'delivery-status',
      format: 'google-workspace',
      recipients: addresses.map((address) => ({
        address,
        action: delayed ? 'delayed' : 'failed',
        diagnostic,
      })),
      original: {},
    };
  },
};
