import type { Provider } from './provider.ts';

// AOL Mail (now Yahoo Inc.'s Oath MTAs for aol.com).
export const aol: Provider = {
  name: 'aol',
  hosts: ['.mail.aol.com', '.mx.aol.com'],
  find(f) {
    if (f.original.includes('Host or domain name not found')) return 'hostunknown';
    // "Name service error for name=example.org type=MX: Malformed or unexpected name server reply"
    if (f.original.includes('type=MX: Malformed or unexpected name server reply')) return 'notaccept';
    return undefined;
  },
};
