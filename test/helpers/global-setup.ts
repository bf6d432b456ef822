import { execFileSync } from 'node:child_process';
import type { TestProject } from 'vitest/node';
import { type Dovecot, type DovecotInfo, startDovecot } from './dovecot.ts';
import { dropTestSchemas } from './store.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    dovecot: DovecotInfo;
    /** A server with no TLS and no MOVE: an old or minimal IMAP server. */
    legacyDovecot: DovecotInfo;
    /** Personal folders under "INBOX." with "." as the delimiter, as on Courier and Cyrus. */
    prefixedDovecot: DovecotInfo;
  }
}

const info = ({ stop: _stop, ...rest }: Dovecot): DovecotInfo => rest;

/** One Dovecot of each kind for the whole run; each test uses its own user (own mailbox). */
export default async function setup(project: TestProject) {
  // The CLI tests run the installed entry point, bin/bounced.js, which loads dist/bundle/.
  execFileSync('npm', ['run', '--silent', 'build'], { stdio: 'inherit' });
  const dovecot = await startDovecot({ tls: true });
  const legacy = await startDovecot({
    tls: false,
    // Dovecot 2.3's list after login, without MOVE (RFC 6851).
    capabilities:
      'IMAP4rev1 SASL-IR LOGIN-REFERRALS ID ENABLE IDLE SORT SORT=DISPLAY THREAD=REFERENCES THREAD=REFS THREAD=ORDEREDSUBJECT MULTIAPPEND URL-PARTIAL CATENATE UNSELECT CHILDREN NAMESPACE UIDPLUS LIST-EXTENDED I18NLEVEL=1 CONDSTORE QRESYNC ESEARCH ESORT SEARCHRES WITHIN CONTEXT=SEARCH LIST-STATUS BINARY SPECIAL-USE',
  });
  const prefixed = await startDovecot({ tls: false, namespacePrefix: 'INBOX.' });
  // The postgres project's schemas: what an earlier, killed run left, and this run's at the end.
  const postgres = project.name === 'postgres';
  if (postgres) await dropTestSchemas();
  project.provide('dovecot', info(dovecot));
  project.provide('legacyDovecot', info(legacy));
  project.provide('prefixedDovecot', info(prefixed));
  return async () => {
    await dovecot.stop();
    await legacy.stop();
    await prefixed.stop();
    if (postgres) await dropTestSchemas();
  };
}
