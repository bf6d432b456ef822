import { describe, expect, inject, it } from 'vitest';
import { DEFAULT_FORMAT, signReturnPath } from '../../src/verp/verp.ts';
import { envFor } from '../helpers/app.ts';
import { runCliAsync } from '../helpers/cli.ts';
import { freshUser, seedMaildir } from '../helpers/maildir.ts';
import { makeDsn } from '../helpers/messages.ts';
import { sqlOn } from '../helpers/store.ts';

const dovecot = inject('dovecot');
const SECRET = 'verp-test-secret';
const sign = (address: string, secret = SECRET, at = new Date()) =>
  signReturnPath(address, { secrets: [secret], format: DEFAULT_FORMAT, maxAgeDays: 30 }, at);

/** A hard bounce for `address`, sent back to `returnPath` (the notice's To). */
function bounce(address: string, returnPath: string): Buffer {
  const dsn = makeDsn({ recipients: [{ address, status: '5.1.1' }] }).toString('latin1');
  return Buffer.from(dsn.replace('To: bounces@sender.example', `To: ${returnPath}`), 'latin1');
}

function mailbox(): { messages: Buffer[]; genuine: string[]; forged: string[] } {
  const genuine = Array.from({ length: 100 }, (_, i) => `real${i}@receiver.example`);
  const forged = Array.from({ length: 100 }, (_, i) => `victim${i}@receiver.example`);
  const long = new Date(Date.now() - 60 * 86_400_000);
  const messages = [
    ...genuine.map((a) => bounce(a, sign(a))),
    ...forged.map((a, i) => {
      switch (i % 4) {
        case 0:
          return bounce(a, 'bounces@example.com'); // no tag
        case 1:
          return bounce(a, sign(a, 'a guessed secret')); // wrong tag
        case 2:
          return bounce(a, sign(a, SECRET, long)); // expired tag
        default:
          return bounce(a, sign('someone.real@receiver.example')); // the tag of another address
      }
    }),
  ];
  return { messages, genuine, forged };
}

async function tableOf(url: string) {
  return {
    suppressed: (await sqlOn(url, 'select address from suppressions where active = 1 order by address')).map(
      (r) => String(r.address),
    ),
    checks: (
      await sqlOn(
        url,
        'select verp, forged, count(*) as n from bounce_events group by verp, forged order by verp',
      )
    ).map((r) => ({ ...r, n: Number(r.n) })),
  };
}

describe('forged bounces', () => {
  it('in enforce mode: 0 of 100 forged reports suppress, all 100 genuine ones do', async () => {
    const user = freshUser();
    const { messages, genuine } = mailbox();
    seedMaildir(dovecot, user, messages);
    const env = envFor(dovecot, user, {
      BOUNCED_VERP_MODE: 'enforce',
      BOUNCED_VERP_SECRET: `new-key,${SECRET}`,
    });
    const scan = await runCliAsync(['scan', '--once'], env);
    expect(scan.code, scan.stderr).toBe(0);
    const t = await tableOf(env.BOUNCED_DATABASE_URL!);
    expect(t.suppressed.sort()).toEqual([...genuine].sort());
    // Every forged report is kept as evidence, marked, with why.
    expect(t.checks).toEqual([
      { verp: 'expired', forged: 1, n: 25 },
      { verp: 'invalid', forged: 1, n: 25 },
      { verp: 'mismatch', forged: 1, n: 25 },
      { verp: 'missing', forged: 1, n: 25 },
      { verp: 'valid', forged: 0, n: 100 },
    ]);
    const dry = await runCliAsync(['digest', '--dry-run'], env);
    expect(dry.stdout).toContain('100 unsigned reports ignored');
  });

  it('in record mode: suppresses as before and stores each check', async () => {
    const user = freshUser();
    const { messages, genuine, forged } = mailbox();
    seedMaildir(dovecot, user, messages);
    const env = envFor(dovecot, user, { BOUNCED_VERP_MODE: 'record', BOUNCED_VERP_SECRET: SECRET });
    expect((await runCliAsync(['scan', '--once'], env)).code).toBe(0);
    const t = await tableOf(env.BOUNCED_DATABASE_URL!);
    expect(t.suppressed.sort()).toEqual([...genuine, ...forged].sort());
    expect(t.checks).toContainEqual({ verp: 'valid', forged: 0, n: 100 });
    expect(t.checks).toContainEqual({ verp: 'missing', forged: 0, n: 25 });
  });

  it('without VERP, checks the returned Message-ID against the sent-message log', async () => {
    const user = freshUser();
    const sent = makeDsn({
      originalMessageId: 'sent-1@sender.example',
      recipients: [{ address: 'logged@receiver.example', status: '5.1.1' }],
    });
    const unsent = makeDsn({
      originalMessageId: 'never@sender.example',
      recipients: [{ address: 'target@receiver.example', status: '5.1.1' }],
    });
    seedMaildir(dovecot, user, [sent, unsent]);
    const env = envFor(dovecot, user, { BOUNCED_VERP_SENT_LOG: 'enforce' });
    expect((await runCliAsync(['migrate'], env)).code).toBe(0);
    await sqlOn(
      env.BOUNCED_DATABASE_URL!,
      'insert into sent_messages (message_id, recipient, sent_at) values (?, ?, ?)',
      ['sent-1@sender.example', 'logged@receiver.example', new Date().toISOString()],
    );
    expect((await runCliAsync(['scan', '--once'], env)).code).toBe(0);
    expect((await tableOf(env.BOUNCED_DATABASE_URL!)).suppressed).toEqual(['logged@receiver.example']);
  });

  it('verp sign prints the return path a sender mails from, and refuses without a secret', async () => {
    const env = { BOUNCED_VERP_SECRET: SECRET, BOUNCED_LOG_LEVEL: 'silent' };
    const r = await runCliAsync(['verp', 'sign', 'Kijitora@Example.JP'], env);
    expect(r.code).toBe(0);
    expect(r.stdout.trim()).toBe(sign('kijitora@example.jp'));
    const none = await runCliAsync(['verp', 'sign', 'a@b.example'], { BOUNCED_LOG_LEVEL: 'silent' });
    expect(none.code).toBe(78);
    expect(none.stderr).toContain('verp.secret is required');
  });
});
