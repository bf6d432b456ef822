import { phraseMatcher, type ReasonRule } from './reason-rule.ts';

// Command died with status 1
const NAME_ = 'mailererror';
export const matches = phraseMatcher({
  any: [
    ' || exit ',
    'procmail: ',
    'bin/procmail',
    'bin/maidrop',
    'command failed: ',
    'command died with status ',
    'command output:',
    'mailer error',
    'pipe to |/',
    'x-unix; ',
  ],
});

export const mailerError: ReasonRule = {
  name: NAME_,
  description: "The recipient's delivery program failed",
  advice: 'retry later',
  senderSide: false,
  matches,
  probe: (f) => f.reason === NAME_,
};
