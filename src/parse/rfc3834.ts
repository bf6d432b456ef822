import { normalizeAddress } from './address.ts';
import type { MessageView } from './message-view.ts';
import type { Report } from './report.ts';

/**
 * Automatic replies (RFC 3834): vacation and out-of-office messages. Never a bounce. Tried
 * after every bounce parser, because many bounces carry Auto-Submitted too.
 */
const SUBJECTS = [
  /^\s*(automatic reply|auto(matic)?[- ]?(reply|response)|autoreply|auto response)\b/i, // Exchange/Outlook "Automatic reply:"
  /\b(out of (the )?office|ooo|away from (the )?office|on vacation|vacation reply|i am away)\b/i,
  /\b(abwesenheitsnotiz|automatische antwort|abwesend)\b/i, // German
  /\b(absence|réponse automatique|reponse automatique|message d'absence)\b/i, // French
  /\b(respuesta automática|respuesta automatica|fuera de la oficina)\b/i, // Spanish
  /\b(risposta automatica|fuori ufficio)\b/i, // Italian
  /\b(automatisch antwoord|afwezig)\b/i, // Dutch
  /\b(resposta automática|ausência)\b/i, // Portuguese
  /(自動応答|不在|休暇|自动回复|自動回覆|자동 응답)/, // Japanese, Chinese, Korean
  /(автоответ|автоматический ответ|отпуск)/i, // Russian
];

export function parseRfc3834(view: MessageView): Report | undefined {
  const h = view.headers;
  const autoSubmitted = h.get('auto-submitted')?.trim().toLowerCase() ?? '';
  const precedence = h.get('precedence')?.trim().toLowerCase() ?? '';
  const flagged =
    autoSubmitted.startsWith('auto-replied') ||
    h.has('x-autoreply') ||
    h.has('x-autorespond') ||
    h.has('x-autoreply-from') ||
    h.has('x-mail-autoreply') ||
    precedence === 'auto_reply' ||
    SUBJECTS.some((re) => re.test(view.subject));
  if (!flagged) return undefined;
  // The auto-replier is the address whose mail came back as a reply: From, or Reply-To.
  const address = normalizeAddress(h.get('x-autoreply-from') ?? h.get('from'));
  return {
    type: 'autoreply',
    format: 'rfc3834',
    recipients: address
      ? [{ address, action: 'autoreplied', diagnostic: view.text.slice(0, 500).trim() }]
      : [],
    original: {},
  };
}
