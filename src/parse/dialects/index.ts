import type { Dialect } from './dialect.ts';
import { exim } from './exim.ts';
import { ezweb } from './ezweb.ts';
import { gmail } from './gmail.ts';
import { gmx } from './gmx.ts';
import { googleWorkspace } from './google-workspace.ts';
import { mfilter } from './mfilter.ts';
import { qmail } from './qmail.ts';
import { x1 } from './x1.ts';
import { x3 } from './x3.ts';

/**
 * Free-form report dialects, in the order they are tried. A dialect's `detect` is cheap;
 * its `parse` may still decline. More specific families come before the general ones
 * they resemble (GMX writes Exim's first sentence; m-FILTER uses qmail's subject).
 */
export const DIALECTS: readonly Dialect[] = [
  ezweb,
  gmail,
  googleWorkspace,
  gmx,
  mfilter,
  x1,
  x3,
  exim,
  qmail,
];
