import type { ReasonRule } from './reason-rule.ts';

// 501 5.5.4 Syntax error in parameters
const NAME_ = 'syntaxerror';
const matches = (_text: string): boolean => false;

export const syntaxError: ReasonRule = {
  name: NAME_,
  description: 'The receiver reported an SMTP syntax error',
  advice: 'check the sending MTA',
  senderSide: true,
  matches,
  probe: (f) => {
    if (f.reason === NAME_) return true;
    // 401-407 and 501-507: the command or its arguments were not understood (RFC 5321 §4.2.3).
    const code = Number(f.replyCode);
    return (code > 400 && code < 408) || (code > 500 && code < 508);
  },
};
