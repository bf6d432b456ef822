// RFC 3463 enhanced status codes and RFC 5321 reply codes, found in report fields and texts.

/** class.subject.detail: class 2, 4 or 5; subject and detail up to three digits (RFC 3463 §2). */
const STATUS = /(?<![\d.])([245])\.(\d{1,3})\.(\d{1,3})(?![\d]|\.\d)/;
/** A reply code that starts the text, or stands alone before a status code: "550 5.1.1", "550-5.1.1". */
const REPLY = /(?<!\d)([245]\d\d)(?=[ -]\d\.\d|[ -]|$)/;

export function findStatus(text: string | undefined): string | undefined {
  if (!text) return undefined;
  const m = STATUS.exec(text);
  return m ? `${m[1]}.${Number(m[2])}.${Number(m[3])}` : undefined;
}

export function findReplyCode(text: string | undefined): string | undefined {
  if (!text) return undefined;
  const m = REPLY.exec(text.trimStart().slice(0, 400));
  return m?.[1];
}

/** 5.x.x is permanent, 4.x.x transient, 2.x.x success (RFC 3463 §3.1). */
export function statusClass(status: string | undefined): '2' | '4' | '5' | undefined {
  const c = status?.[0];
  return c === '2' || c === '4' || c === '5' ? c : undefined;
}

/** 5.0.0 and 4.0.0 say only "permanent" or "transient": a diagnostic's code is more precise. */
export function isGenericStatus(status: string | undefined): boolean {
  return status === undefined || /^[245]\.0\.0$/.test(status);
}
