import type { Provider } from './provider.ts';

// Outlook.com / Hotmail consumer mail.
export const outlook: Provider = {
  name: 'outlook',
  hosts: ['.hotmail.com'],
  find(f) {
    if (
      f.original.includes(
        'The mail could not be delivered to the recipient because the domain is not reachable',
      )
    ) {
      return 'hostunknown';
    }
    if (f.original.includes('Requested action not taken: mailbox unavailable')) return 'userunknown';
    // "550 SC-001 (…) Unfortunately, messages from 192.0.2.1 weren't sent." SC/DY/OU codes
    // are Outlook.com's filters rejecting the sending IP.
    if (/\b(SC-00[1-5]|DY-00[1-3]|OU-00[1-2])\b/.test(f.original)) return 'blocked';
    return undefined;
  },
};
