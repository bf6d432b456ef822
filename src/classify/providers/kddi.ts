import type { Provider } from './provider.ts';

// au by KDDI (ezweb.ne.jp, au.com): https://www.au.com/support/service/internet/trouble/mail/01/
export const kddi: Provider = {
  name: 'kddi',
  hosts: ['.ezweb.ne.jp', 'msmx.au.com'],
  find(f) {
    if (f.text.includes('550 : user unknown')) return 'filtered'; // "The response was: 550 : User unknown"
    if (f.text.includes('>: user unknown')) return 'userunknown'; // "550 <…>: User unknown"
    return undefined;
  },
};
