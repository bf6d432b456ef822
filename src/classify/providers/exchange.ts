import type { Provider } from './provider.ts';

// Microsoft Exchange (on-premises and Online) names the component that failed in its
// enhanced replies: "550 5.1.1 RESOLVER.ADR.RecipNotFound; not found". The code is the
// same whatever host sends it, so this rule set is found by the text, not by a host name.
const CODES: Readonly<Record<string, string>> = {
  'resolver.adr.recipnotfound': 'userunknown',
  'resolver.adr.recipientnotfound': 'userunknown',
  'resolver.adr.exrecipnotfound': 'userunknown',
  'resolver.adr.badprimary': 'systemerror',
  'resolver.adr.crossforest': 'systemerror',
  'resolver.adr.recipientlimit': 'toomanyconn',
  'resolver.rst.recipsizelimit': 'exceedlimit',
  'resolver.rst.sendsizelimit.org': 'mesgtoobig',
  'resolver.rst.sendsizelimit.sender': 'mesgtoobig',
  'resolver.rst.authrequired': 'securityerror',
  'resolver.rst.notauthorized': 'rejected',
  'resolver.rst.restrictedtorecipientspermission': 'rejected',
  'resolver.rst.deliverytorecipientsblocked': 'rejected',
  'resolver.fwd.loopdetected': 'networkerror',
  'routing.nomx': 'notaccept',
  'queue.expired': 'expired',
};

export const exchange: Provider = {
  name: 'exchange',
  hosts: [],
  recognizes: (f) => /\b(resolver|routing|queue)\.[a-z]+/.test(f.text),
  find(f) {
    const m = /\b((?:resolver|routing|queue)\.[a-z]+(?:\.[a-z]+)?(?:\.[a-z]+)?)/.exec(f.text);
    if (!m) return undefined;
    for (const [code, reason] of Object.entries(CODES)) if (m[1]!.startsWith(code)) return reason;
    return undefined;
  },
};
