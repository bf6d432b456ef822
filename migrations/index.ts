// Every migration, in the order they apply: a new one is a new file here and one line
// below (test/store/migrations.test.ts checks that the list and the folder agree). A static
// list rather than a read of this folder, so that the production bundle (scripts/bundle.mjs)
// holds them, on the same copy of kysely as the rest of bounced.
import type { Kysely } from 'kysely';
import * as m0001 from './2026-11-22-0001-initial.ts';
import * as m0002 from './2026-11-22-0002-policy-digest.ts';
import * as m0003 from './2026-12-01-0003-idn-keys.ts';
import * as m0004 from './2026-12-01-0004-scan-locks.ts';
import * as m0005 from './2026-12-01-0005-forged-reports.ts';
import * as m0006 from './2026-12-01-0006-folder-modseq.ts';
import * as m0007 from './2026-12-01-0007-events-by-address-action.ts';
import * as m0008 from './2026-12-01-0008-drop-events-address.ts';
import * as m0009 from './2026-12-01-0009-scan-folders.ts';
import * as m0010 from './2026-12-01-0010-mailboxes.ts';
import * as m0011 from './2026-12-01-0011-digest-claims.ts';
import * as m0012 from './2026-12-02-0012-occurred-at-always.ts';

export interface Migration {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations are written against no schema type.
  up(db: Kysely<any>): Promise<void>;
}

/** Name (the file's, without its extension) and migration, oldest first. */
export const MIGRATIONS: readonly (readonly [name: string, migration: Migration])[] = [
  ['2026-11-22-0001-initial', m0001],
  ['2026-11-22-0002-policy-digest', m0002],
  ['2026-12-01-0003-idn-keys', m0003],
  ['2026-12-01-0004-scan-locks', m0004],
  ['2026-12-01-0005-forged-reports', m0005],
  ['2026-12-01-0006-folder-modseq', m0006],
  ['2026-12-01-0007-events-by-address-action', m0007],
  ['2026-12-01-0008-drop-events-address', m0008],
  ['2026-12-01-0009-scan-folders', m0009],
  ['2026-12-01-0010-mailboxes', m0010],
  ['2026-12-01-0011-digest-claims', m0011],
  ['2026-12-02-0012-occurred-at-always', m0012],
];
