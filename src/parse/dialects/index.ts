import type { Dialect } from './dialect.ts';
import { exim } from './exim.ts';
import { gmail } from './gmail.ts';
import { qmail } from './qmail.ts';

/**
 * Free-form report dialects, in the order they are tried. A dialect's `detect` is cheap;
 * its `parse` may still decline. More specific families come before the general ones
 * they resemble.
 */
export const DIALECTS: readonly Dialect[] = [gmail, exim, qmail];
