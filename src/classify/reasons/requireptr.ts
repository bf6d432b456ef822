import { reasonForStatus } from '../status-reasons.ts';
import { phraseMatcher, type ReasonRule } from './reason-rule.ts';

// 550 5.7.25 The IP address sending this message does not have a PTR record setup
const NAME_ = 'requireptr';
export const matches = phraseMatcher({
  any: [
    'access denied. ip name lookup failed',
    'all mail servers must have a ptr record with a valid reverse dns entry',
    'bad dns ptr resource record',
    'cannot find your hostname',
    'cannot resolve your address.',
    'client host rejected: cannot find your hostname',
    'fix reverse dns for ',
    'ips with missing ptr records',
    'no ptr record found.',
    'please get a custom reverse dns name from your isp for your host',
    'ptr record setup',
    'reverse dns failed',
    'reverse dns required',
    'sender ip reverse lookup rejected',
    'the ip address sending this message does not have a ptr record setup',
    'the corresponding forward dns entry does not point to the sending ip',
    'this system will not accept messages from servers/devices with no reverse dns',
    'unresolvable relay host name',
    'we do not accept mail from hosts with dynamic ip or generic dns ptr-records',
  ],
  inOrder: [
    ['domain ', ' mismatches client ip'],
    ['dns lookup failure: ', ' try again later'],
    ['reverse dns lookup for host ', ' failed permanently'],
    ['server access ', ' forbidden by invalid rdns record of your mail server'],
    ['service permits ', ' unverifyable sending ips'],
  ],
});

export const requirePtr: ReasonRule = {
  name: NAME_,
  description: 'Your sending IP has no valid reverse DNS (PTR)',
  advice: 'give the sending IP a PTR record that resolves back to it (forward-confirmed reverse DNS)',
  senderSide: true,
  matches,
  probe: (f) => f.reason === NAME_ || reasonForStatus(f.status) === NAME_ || matches(f.text),
};
