import type { Provider } from './provider.ts';

// Facebook's response codes: https://www.facebook.com/postmaster/response_codes
const CODES: Readonly<Record<string, string>> = {
  'POL-P7': 'authfailure', // does not comply with Facebook's Domain Authentication requirements
  'POL-P1': 'blocked', // IP on the Spamhaus PBL
  'POL-P2': 'blocked',
  'POL-P3': 'blocked',
  'POL-P4': 'blocked',
  'POL-T1': 'blocked',
  'POL-T2': 'blocked',
  'POL-T3': 'blocked',
  'MSG-P2': 'contenterror', // attachment type not accepted
  'RCP-P2': 'filtered', // the recipient's preferences prevent delivery
  'RCP-P3': 'filtered', // the recipient's privacy settings
  'MSG-P1': 'mesgtoobig',
  'INT-P2': 'mesgtoobig',
  'MSG-P3': 'notcompliantrfc', // a header that may appear once appears several times
  'DNS-P1': 'rejected', // MAIL FROM domain does not exist
  'DNS-P2': 'rejected',
  'DNS-T1': 'rejected',
  'DNS-P3': 'requireptr',
  'DNS-T2': 'requireptr',
  'POL-P6': 'spamdetected',
  'RCP-T4': 'suspend', // recipient address deactivated
  'RCP-T1': 'systemerror',
  'CON-T1': 'toomanyconn',
  'CON-T2': 'toomanyconn',
  'CON-T3': 'toomanyconn',
  'CON-T4': 'toomanyconn',
  'MSG-T1': 'toomanyconn',
  'RCP-P1': 'userunknown', // recipient address does not exist
  'INT-P1': 'userunknown',
  'INT-P3': 'userunknown',
  'INT-P4': 'userunknown',
  'POL-P5': 'virusdetected',
};

export const facebook: Provider = {
  name: 'facebook',
  hosts: ['.facebook.com'],
  find(f) {
    const code = /\b([A-Z]{3}-[PT]\d)\b/.exec(f.original)?.[1];
    return code ? CODES[code] : undefined;
  },
};
