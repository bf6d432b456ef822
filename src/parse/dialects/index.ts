import { amavis } from './amavis.ts';
import { amazonSes } from './amazon-ses.ts';
import { apacheJames } from './apache-james.ts';
import { courier } from './courier.ts';
import type { Dialect } from './dialect.ts';
import { dma } from './dma.ts';
import { domino } from './domino.ts';
import { einsUndEins } from './einsundeins.ts';
import { exchange2003 } from './exchange2003.ts';
import { exim } from './exim.ts';
import { ezweb } from './ezweb.ts';
import { fatalErrors } from './fatal-errors.ts';
import { fml } from './fml.ts';
import { generic } from './generic/generic.ts';
import { gmail } from './gmail.ts';
import { gmx } from './gmx.ts';
import { googleGroups } from './google-groups.ts';
import { googleWorkspace } from './google-workspace.ts';
import { imailServer } from './imail-server.ts';
import { kddi } from './kddi.ts';
import { mailMarshal } from './mailmarshal.ts';
import { messagingServer } from './messaging-server.ts';
import { mfilter } from './mfilter.ts';
import { notes } from './notes.ts';
import { opensmtpd } from './opensmtpd.ts';
import { postfix } from './postfix.ts';
import { powerMta } from './powermta.ts';
import { qmail } from './qmail.ts';
import { sendmail } from './sendmail.ts';
import { x1 } from './x1.ts';
import { x3 } from './x3.ts';
import { x6 } from './x6.ts';
import { zoho } from './zoho.ts';

/**
 * Free-form report dialects, in the order they are tried. A dialect's `detect` is cheap;
 * its `parse` may still decline. More specific families come before the general ones
 * they resemble (GMX writes Exim's first sentence; m-FILTER uses qmail's subject). Those
 * marked `readsDsn` are tried before the generic RFC 3464 parser. The generic reader
 * is last, and the only one `--generic-only` keeps.
 */
export const DIALECTS: readonly Dialect[] = [
  powerMta,
  ezweb,
  amavis,
  courier,
  domino,
  messagingServer,
  sendmail,
  googleGroups,
  gmail,
  googleWorkspace,
  gmx,
  mfilter,
  x1,
  x3,
  x6,
  zoho,
  exchange2003,
  notes,
  opensmtpd,
  dma,
  imailServer,
  kddi,
  mailMarshal,
  amazonSes,
  einsUndEins,
  apacheJames,
  fml,
  postfix,
  fatalErrors,
  exim,
  qmail,
  // Last: evidence that holds across servers, for a notice no family above recognised.
  generic,
];
