import type { Provider } from './provider.ts';

// Google Workspace's own notices, written in prose rather than SMTP replies.
export const googleWorkspace: Provider = {
  name: 'google-workspace',
  hosts: ['googlemail.com'],
  find(f) {
    const text = f.original;
    const cls = f.status?.[0] ?? '';
    const reply = f.replyCode?.[0] ?? '';
    // "Your message wasn't delivered to x because the address couldn't be found. Check for typos …"
    if (
      text.includes(
        "because the address couldn't be found. Check for typos or unnecessary spaces and try again.",
      )
    ) {
      return 'userunknown';
    }
    if (text.includes('Null MX')) return 'notaccept';
    const nxdomain = text.includes(' responded with code NXDOMAIN') || text.includes('Domain name not found');
    // A permanent NXDOMAIN is a missing domain; a temporary one, or "had no relevant answers", DNS trouble.
    if (nxdomain && cls === '5' && reply === '5') return 'hostunknown';
    if ((nxdomain || text.includes(' had no relevant answers.')) && cls !== '5' && reply !== '5')
      return 'networkerror';
    return undefined;
  },
};
