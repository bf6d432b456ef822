// Complaints and the suppression record, through a real mailbox and the CLI: which ARF
// feedback types suppress (RFC 5965, RFC 6591), and a record that tells one event's story.
import { describe, expect, inject, it } from 'vitest';
import { parseCsv } from '../../src/export/csv.ts';
import { envFor } from '../helpers/app.ts';
import { runCli } from '../helpers/cli.ts';
import { freshUser, seedMaildir } from '../helpers/maildir.ts';
import { makeArf, makeDsn } from '../helpers/messages.ts';

const dovecot = inject('dovecot');

function showJson(env: Record<string, string>, address: string) {
  const r = runCli(['suppressions', 'show', address, '--json'], env);
  expect(r.code, r.stderr).toBe(0);
  return JSON.parse(r.stdout);
}

describe('ARF feedback types', () => {
  it('abuse, and a report without a type, suppress; auth-failure, fraud, virus, not-spam and other do not', () => {
    const user = freshUser();
    const env = envFor(dovecot, user);
    seedMaildir(dovecot, user, [
      makeArf({ recipient: 'abuse@receiver.example', feedbackType: 'abuse' }),
      makeArf({ recipient: 'untyped@receiver.example' }),
      makeArf({ recipient: 'auth@receiver.example', feedbackType: 'auth-failure' }),
      makeArf({ recipient: 'fraud@receiver.example', feedbackType: 'fraud' }),
      makeArf({ recipient: 'virus@receiver.example', feedbackType: 'virus' }),
      makeArf({ recipient: 'notspam@receiver.example', feedbackType: 'not-spam' }),
      makeArf({ recipient: 'other@receiver.example', feedbackType: 'other' }),
    ]);
    const scan = runCli(['scan', '--once'], env);
    expect(scan.code, scan.stderr).toBe(0);
    const suppressed = runCli(['suppressions', 'list', '--json'], env)
      .stdout.trim()
      .split('\n')
      .map((l) => JSON.parse(l).address);
    expect(suppressed).toEqual(['abuse@receiver.example', 'untyped@receiver.example']);

    // Each is recorded: an auth-failure report is sender-side evidence about the sending domain.
    const auth = showJson(env, 'auth@receiver.example');
    expect(auth.suppression).toBeUndefined();
    expect(auth.events).toMatchObject([{ kind: 'complaint', reason: 'authfailure' }]);
    expect(auth.events[0].diagnostic).toBe(
      'ARF auth-failure report dkim failed for sender.example from 192.0.2.1',
    );
    expect(showJson(env, 'virus@receiver.example').events).toMatchObject([{ reason: 'virusdetected' }]);
    expect(showJson(env, 'fraud@receiver.example').events).toMatchObject([{ reason: 'securityerror' }]);
    expect(showJson(env, 'notspam@receiver.example').events).toMatchObject([
      { kind: 'complaint', diagnostic: 'not-spam' },
    ]);
    expect(showJson(env, 'other@receiver.example').events).toMatchObject([{ diagnostic: 'other' }]);

    // The digest lists the recipients' reports with their types, and the auth failure with
    // the sender-side failures.
    const digest = runCli(['digest', '--dry-run'], env);
    expect(digest.code, digest.stderr).toBe(0);
    const complaints = digest.stdout.slice(digest.stdout.indexOf('COMPLAINTS'));
    expect(complaints).toContain('abuse@receiver.example');
    expect(complaints).toContain('notspam@receiver.example');
    expect(complaints).toContain('not-spam');
    expect(complaints).not.toContain('auth@receiver.example');
    const senderSide = digest.stdout.slice(
      digest.stdout.indexOf('SENDER-SIDE'),
      digest.stdout.indexOf('COMPLAINTS'),
    );
    expect(senderSide).toMatch(/authentication/i);
  });
});

describe('one suppression record, one event', () => {
  it('a complaint then a 4.1.1 bounce: cause, status and rule all come from the complaint that fired the rule', () => {
    const user = freshUser();
    const env = envFor(dovecot, user);
    seedMaildir(dovecot, user, [
      makeArf({ recipient: 'both@receiver.example', feedbackType: 'abuse' }),
      makeDsn({
        recipients: [
          {
            address: 'both@receiver.example',
            status: '4.1.1',
            diagnostic: '450 4.1.1 <both@receiver.example>: Recipient address rejected: User unknown',
          },
        ],
      }),
    ]);
    expect(runCli(['scan', '--once'], env).code).toBe(0);
    const detail = showJson(env, 'both@receiver.example');
    expect(detail.suppression).toMatchObject({
      source: 'complaint',
      rule: 'complaint: suppressed at once',
      reason: 'feedback',
      status: null,
    });
    expect(detail.suppression.cause).toMatch(/complaint/i);
    expect(detail.suppression.cause).not.toMatch(/mailbox|4\.1\.1/i);
    // Both events are kept as evidence of the address.
    expect(detail.events.map((e: { kind: string }) => e.kind)).toEqual(['complaint', 'bounce']);

    const show = runCli(['suppressions', 'show', 'both@receiver.example'], env).stdout;
    expect(show).toContain('source complaint · rule: complaint: suppressed at once');
    expect(show).not.toMatch(/cause: .*4\.1\.1/);

    const csv = parseCsv(runCli(['export'], env).stdout);
    const row = Object.fromEntries(csv[0]!.map((h, i) => [h, csv[1]![i]]));
    expect(row).toMatchObject({
      email: 'both@receiver.example',
      reason: 'feedback',
      status: '',
      source: 'complaint',
    });
  });
});
