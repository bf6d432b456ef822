/** The personal namespace (RFC 2342): the prefix its folders share, and the hierarchy delimiter. */
export interface PersonalNamespace {
  readonly prefix: string;
  readonly delimiter: string;
}

/**
 * The full name of a configured folder on this server. Where personal folders live under a
 * prefix (Courier always, Cyrus in its standard namespace, many hosted mailboxes:
 * `* NAMESPACE (("INBOX." "."))`), `Processed` is `INBOX.Processed`. INBOX is INBOX
 * everywhere (RFC 3501 §5.1: case-insensitive). A name already under the prefix, or one
 * that exists as written (a server that also lets folders live outside the prefix), is
 * kept as it is.
 */
export function resolveFolder(
  name: string,
  ns: PersonalNamespace | undefined,
  existing: ReadonlySet<string>,
): string {
  if (name.toUpperCase() === 'INBOX') return 'INBOX';
  const prefix = ns?.prefix ?? '';
  if (prefix === '' || existing.has(name)) return name;
  // "INBOX." is matched case-insensitively in its INBOX part, as INBOX itself is.
  const under = /^INBOX(?=\W)/i.test(prefix)
    ? name.toUpperCase().startsWith(prefix.toUpperCase())
    : name.startsWith(prefix);
  if (under) return /^INBOX/i.test(name) ? `INBOX${name.slice(5)}` : name;
  return `${prefix}${name}`;
}
