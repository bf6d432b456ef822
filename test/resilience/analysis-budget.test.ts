import { describe, expect, inject, it } from 'vitest';
import { envFor } from '../helpers/app.ts';
import { runCliAsync } from '../helpers/cli.ts';
import { freshUser, readFolder, seedMaildir } from '../helpers/maildir.ts';
import { makeDsn } from '../helpers/messages.ts';
import { sqlOn } from '../helpers/store.ts';

const dovecot = inject('dovecot');

describe('the analysis time budget', () => {
  it('sends a message over budget to the review folder with a note, and the scan goes on', async () => {
    const user = freshUser();
    // A large notice takes a few milliseconds; with a 1 ms budget every analysis is over it.
    const big = Buffer.concat([
      makeDsn({ recipients: [{ address: 'big@receiver.example', status: '5.1.1' }] }),
      Buffer.alloc(1_500_000, 'x'),
    ]);
    seedMaildir(dovecot, user, [
      big,
      makeDsn({ recipients: [{ address: 'a@receiver.example', status: '5.1.1' }] }),
    ]);
    const env = envFor(dovecot, user, { BOUNCED_SCAN_ANALYSIS_TIMEOUT_MS: '1' });
    const r = await runCliAsync(['scan', '--once'], env);
    expect(r.code, r.stderr).toBe(0);
    expect(readFolder(dovecot, user, 'INBOX')).toHaveLength(0);
    {
      const rows = await sqlOn(
        env.BOUNCED_DATABASE_URL!,
        'select outcome, note, target_folder from processed_messages',
      );
      expect(rows).toContainEqual({
        outcome: 'none',
        note: 'analysis exceeded 1 ms',
        target_folder: 'Unrecognized',
      });
    }
    // With the default budget the same mail is read as usual.
    const user2 = freshUser();
    seedMaildir(dovecot, user2, [big]);
    const env2 = envFor(dovecot, user2);
    expect((await runCliAsync(['scan', '--once'], env2)).code).toBe(0);
    expect(readFolder(dovecot, user2, 'Processed')).toHaveLength(1);
  });
});
