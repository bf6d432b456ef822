import { type Provider } from './provider.ts';

// Orange / France Télécom (orange.fr, wanadoo.fr): bilingual replies with an OFR code and
// its number in brackets, "550 5.1.1 Adresse d au moins un destinataire invalide. Invalid
// recipient. OFR_416 [416]", "421 mwinf5c05 ME Trop de connexions … OFR004_104 [104]"
// (Orange's postmaster documentation of the OFR codes).
const CODES: Readonly<Record<string, string>> = {
  '104': 'toomanyconn', // too many connections from the sending IP
  '105': 'blocked', // service refused: the sending IP's reputation
  '416': 'userunknown', // invalid recipient
  '417': 'mailboxfull', // recipient mailbox full
  '418': 'userunknown',
  '506': 'spamdetected', // mail rejected for its content
};

export const orange: Provider = {
  name: 'orange',
  hosts: ['orange.fr', 'wanadoo.fr'],
  find(f) {
    const code = /OFR\d{0,3}_(\d{3})\b/.exec(f.original)?.[1] ?? /\[(\d{3})\]/.exec(f.original)?.[1];
    return code ? CODES[code] : undefined;
  },
};
