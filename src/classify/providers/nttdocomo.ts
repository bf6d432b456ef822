import { byPhrase, type Provider } from './provider.ts';

// NTT DOCOMO (docomo.ne.jp), Japanese mobile carrier.
// "550 Unknown user" alone is not taken as userunknown: DOCOMO answered it for its
// domain and reception filters too (at DATA), so the command decides below.
const PHRASES: Readonly<Record<string, readonly string[]>> = {
  mailboxfull: ['552 too much mail data'],
  syntaxerror: ['503 bad sequence of commands', '504 command parameter not implemented'],
  toomanyconn: ['552 too many recipients'],
};

export const nttDocomo: Provider = {
  name: 'nttdocomo',
  hosts: ['mfsmax.docomo.ne.jp'],
  find(f) {
    // ">>> RCPT To:<…> <<< 550 Unknown user" ends as 5.1.1; at DATA, "550 Unknown user" is
    // the domain or reception filter: Status 5.2.0.
    if (f.status === '5.1.1') return 'userunknown';
    if (f.status === '5.2.0') return 'filtered';
    const byText = f.text ? byPhrase(f.text, PHRASES) : undefined;
    if (byText) return byText;
    if (f.status === '5.0.0' && f.command === 'RCPT') return 'userunknown';
    if (f.status === '5.0.0' && f.command === 'DATA') return 'rejected';
    return undefined;
  },
};
