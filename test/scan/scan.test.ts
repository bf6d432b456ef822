import { spawnSync } from 'node:child_process';
import { readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, inject, it } from 'vitest';
import type { App } from '../../src/main.ts';
import { scanOnce } from '../../src/main.ts';
import { configFor, envFor, openTestApp, tableCounts } from '../helpers/app.ts';
import { fixture } from '../helpers/fixtures.ts';
import { folderDir, freshUser, readFolder, seedMaildir } from '../helpers/maildir.ts';
import { makeDsn, makeOrdinaryMail } from '../helpers/messages.ts';

const dovecot = inject('dovecot');
const apps: App[] = [];
afterEach(async () => {
  while (apps.length) await apps.pop()!.close();
});

async function app(user: string, extra: Record<string, string> = {}) {
  const a = await openTestApp(configFor(dovecot, user, extra));
  apps.push(a);
  return a;
}

/** A mailbox as a return-path mailbox sees it: hard bounces, a sender-side block, a delay, a stray reply. */
function seedTypicalMailbox(user: string) {
  const messages = {
    hard: makeDsn({ recipients: [{ address: 'Gone@Receiver.example', status: '5.1.1' }] }),
    two: makeDsn({
      recipients: [
        {
          address: 'full@receiver.example',
          status: '4.2.2',
          action: 'delayed',
          diagnostic: '452 4.2.2 Mailbox full',
        },
        { address: 'nobody@other.example', status: '5.1.1' },
      ],
    }),
    blocked: makeDsn({
      recipients: [
        {
          address: 'customer@outlook.example',
          status: '5.7.1',
          diagnostic: '550 5.7.1 Service unavailable, Client host [192.0.2.1] blocked using Spamhaus',
        },
      ],
    }),
    delayed: makeDsn({
      recipients: [{ address: 'slow@receiver.example', status: '4.4.1', action: 'delayed' }],
    }),
    real: fixture('rfc3464/rfc3464-63.eml'),
    reply: makeOrdinaryMail(),
  };
  seedMaildir(dovecot, user, Object.values(messages));
  return messages;
}

describe('scan against a real IMAP server', () => {
  it('records each DSN recipient, suppresses hard bounces only, and files every message', async () => {
    const user = freshUser();
    const seeded = seedTypicalMailbox(user);
    const a = await app(user);

    const result = await scanOnce(a);
    expect(result).toMatchObject({ seen: 6, bounces: 4, unrecognized: 1, moved: 6, duplicates: 0 });

    const processed = await a.db.selectFrom('processed_messages').selectAll().orderBy('uid').execute();
    expect(processed.map((p) => p.outcome)).toEqual([
      'bounce',
      'bounce',
      'bounce',
      'delayed',
      'bounce',
      'none',
    ]);
    expect(processed.map((p) => p.target_folder)).toEqual([
      'Processed',
      'Processed',
      'Processed',
      'Processed',
      'Processed',
      'Unrecognized',
    ]);
    expect(
      processed.every((p) => p.moved_at !== null && p.mailbox === 'default/INBOX' && p.uidvalidity > 0),
    ).toBe(true);
    expect(processed[5]?.note).toBe('not a bounce, complaint or automatic reply');

    const events = await a.db.selectFrom('bounce_events').selectAll().orderBy('id').execute();
    expect(events.map((e) => [e.address, e.action, e.status, e.hard])).toEqual([
      ['gone@receiver.example', 'failed', '5.1.1', 1],
      ['full@receiver.example', 'delayed', '4.2.2', 0],
      ['nobody@other.example', 'failed', '5.1.1', 1],
      ['customer@outlook.example', 'failed', '5.7.1', 0],
      ['slow@receiver.example', 'delayed', '4.4.1', 0],
      ['libsisimai-2@googlegroups.com', 'failed', '5.1.1', 1],
    ]);
    const first = events[0]!;
    expect(first).toMatchObject({
      reply_code: '550',
      remote_mta: 'mx.receiver.example',
      reporting_mta: 'mx.sender.example',
      arrival_date: 'Mon, 16 Nov 2026 09:59:58 +0000',
      reason: 'userunknown',
      sender_side: 0,
    });
    expect(first.diagnostic).toContain('Recipient address rejected: User unknown');
    expect(first.original_message_id).toMatch(/^orig-\d+@sender\.example$/);
    expect(first.message_ref).toBe(
      `imap:INBOX;UIDVALIDITY=${processed[0]!.uidvalidity};UID=${processed[0]!.uid}`,
    );
    expect(events[3]).toMatchObject({ sender_side: 1, hard: 0 });

    const suppressed = await a.bounces.listSuppressions();
    expect(suppressed.map((s) => s.address)).toEqual([
      'gone@receiver.example',
      'libsisimai-2@googlegroups.com',
      'nobody@other.example',
    ]);
    expect(suppressed[0]).toMatchObject({
      reason: 'userunknown',
      status: '5.1.1',
      bounceCount: 1,
      source: 'bounce',
    });

    // The folders on the server, byte for byte.
    expect(readFolder(dovecot, user, 'INBOX')).toHaveLength(0);
    expect(readFolder(dovecot, user, 'Unrecognized')).toEqual([seeded.reply]);
    const kept = readFolder(dovecot, user, 'Processed').map((b) => b.toString('latin1'));
    expect(kept.sort()).toEqual(
      [seeded.hard, seeded.two, seeded.blocked, seeded.delayed, seeded.real]
        .map((b) => b.toString('latin1'))
        .sort(),
    );
  });

  it('files auto-replies and complaints as understood; a complaint suppresses, an auto-reply never', async () => {
    const user = freshUser();
    seedMaildir(dovecot, user, [
      fixture('rfc3834/rfc3834-01.eml'),
      fixture('arf/arf-17.eml'),
      fixture('exim/lhost-exim-41.eml'),
    ]);
    const a = await app(user);
    expect(await scanOnce(a)).toMatchObject({ seen: 3, bounces: 0, unrecognized: 0, moved: 3 });
    const outcomes = await a.db.selectFrom('processed_messages').select('outcome').orderBy('uid').execute();
    expect(outcomes.map((o) => o.outcome)).toEqual(['autoreply', 'complaint', 'delayed']);
    const events = await a.db
      .selectFrom('bounce_events')
      .select(['address', 'kind', 'reason', 'hard'])
      .orderBy('id')
      .execute();
    expect(events).toEqual([
      { address: 'kijitora@example.net', kind: 'autoreply', reason: 'vacation', hard: 0 },
      { address: 'kijitora@example.com', kind: 'complaint', reason: 'feedback', hard: 0 },
      { address: 'sabatora@example.net', kind: 'complaint', reason: 'feedback', hard: 0 },
      { address: 'kijitora@example.net', kind: 'delayed', reason: 'requireptr', hard: 0 },
    ]);
    const suppressed = await a.bounces.listSuppressions();
    expect(suppressed.map((x) => [x.address, x.source, x.reason])).toEqual([
      ['kijitora@example.com', 'complaint', 'feedback'],
      ['sabatora@example.net', 'complaint', 'feedback'],
    ]);
    expect(readFolder(dovecot, user, 'Processed')).toHaveLength(3);
  });

  it('changes nothing on a second scan', async () => {
    const user = freshUser();
    seedTypicalMailbox(user);
    const a = await app(user);
    await scanOnce(a);
    const before = await tableCounts(a);
    const processed = readFolder(dovecot, user, 'Processed').length;

    const again = await scanOnce(a);
    expect(again).toMatchObject({ seen: 0, bounces: 0, moved: 0 });
    expect(await tableCounts(a)).toEqual(before);
    expect(readFolder(dovecot, user, 'Processed')).toHaveLength(processed);
    expect(readFolder(dovecot, user, 'Unrecognized')).toHaveLength(1);
  });

  it('works in bounded batches and processes everything', async () => {
    const user = freshUser();
    const dsns = Array.from({ length: 11 }, (_, i) =>
      makeDsn({ recipients: [{ address: `u${i}@receiver.example`, status: '5.1.1' }] }),
    );
    seedMaildir(dovecot, user, dsns);
    const a = await app(user, { BOUNCED_SCAN_BATCH_SIZE: '3' });
    const result = await scanOnce(a);
    expect(result).toMatchObject({ seen: 11, bounces: 11, moved: 11 });
    expect((await a.bounces.listSuppressions()).length).toBe(11);
    expect(readFolder(dovecot, user, 'INBOX')).toHaveLength(0);
  });

  it('fetches up to 4 batches ahead of a slow commit, and only 2 when batches are full of bytes', async () => {
    // Fetched by the time the first commit has waited long enough for the pipeline to fill.
    const fetchedDuringFirstCommit = async (env: Record<string, string>, messages: Buffer[]) => {
      const user = freshUser();
      seedMaildir(dovecot, user, messages);
      const a = await app(user, { BOUNCED_SCAN_BATCH_SIZE: '3', ...env });
      let fetched = 0;
      let atFirstCommit: number | undefined;
      const result = await scanOnce(a, {
        afterFetch: () => {
          fetched++;
        },
        afterCommit: async () => {
          if (atFirstCommit !== undefined) return;
          await new Promise((r) => setTimeout(r, 1000));
          atFirstCommit = fetched;
        },
      });
      expect(result).toMatchObject({ seen: messages.length, moved: messages.length });
      return atFirstCommit;
    };
    const dsn = (i: number, padding = 0) =>
      Buffer.concat([
        makeDsn({ recipients: [{ address: `ahead${i}@receiver.example`, status: '5.1.1' }] }),
        Buffer.from(`\r\n${'x'.repeat(padding)}\r\n`),
      ]);
    // Small messages: the batch in hand and 4 ahead.
    expect(
      await fetchedDuringFirstCommit(
        {},
        Array.from({ length: 30 }, (_, i) => dsn(i)),
      ),
    ).toBe(5);
    // Messages of ~40 KiB, batches bounded at 64 KiB (one message each after the first):
    // the batch in hand and 2 ahead, as many bytes as 2 full batches.
    const big = Array.from({ length: 12 }, (_, i) => dsn(i, 40_000));
    expect(await fetchedDuringFirstCommit({ BOUNCED_SCAN_BATCH_BYTES: String(64 * 1024) }, big)).toBe(3);
  });

  it('counts nothing twice when the process dies after the commit and before the move', async () => {
    const user = freshUser();
    seedTypicalMailbox(user);
    const env = envFor(dovecot, user);
    // A real process, killed with SIGKILL between the batch's commit and its MOVE.
    const crashed = spawnSync(process.execPath, ['--import', 'tsx', 'test/helpers/crash-after-commit.ts'], {
      env: { ...process.env, ...env },
      encoding: 'utf8',
    });
    expect(crashed.signal).toBe('SIGKILL');
    expect(readFolder(dovecot, user, 'INBOX')).toHaveLength(6); // committed, not moved

    const a = await openTestApp(
      configFor(dovecot, user, { BOUNCED_DATABASE_URL: env.BOUNCED_DATABASE_URL! }),
    );
    apps.push(a);
    const committed = await tableCounts(a);
    expect(committed.processed_messages).toBe(6);

    const result = await scanOnce(a);
    expect(result).toMatchObject({ seen: 0, bounces: 0, moved: 6 });
    expect(await tableCounts(a)).toEqual(committed);
    expect((await a.bounces.listSuppressions()).every((s) => s.bounceCount === 1)).toBe(true);
    expect(readFolder(dovecot, user, 'INBOX')).toHaveLength(0);
    expect(readFolder(dovecot, user, 'Unrecognized')).toHaveLength(1);
    const moved = await a.db.selectFrom('processed_messages').select('moved_at').execute();
    expect(moved.every((m) => m.moved_at !== null)).toBe(true);
  });

  it('with pipelining: a kill after a commit, with the next batch already fetched, loses and doubles nothing', async () => {
    const user = freshUser();
    // 10 messages in batches of 3: batch 2 is committed and not moved, batch 3 (and with
    // the pipeline's lookahead, perhaps 4) is in memory.
    const messages = Array.from({ length: 10 }, (_, i) =>
      makeDsn({ recipients: [{ address: `gone${i}@receiver.example`, status: '5.1.1' }] }),
    );
    seedMaildir(dovecot, user, messages);
    const env = envFor(dovecot, user, { BOUNCED_SCAN_BATCH_SIZE: '3' });
    const crashed = spawnSync(process.execPath, ['--import', 'tsx', 'test/helpers/crash-after-prefetch.ts'], {
      env: { ...process.env, ...env },
      encoding: 'utf8',
    });
    expect(crashed.signal, crashed.stderr).toBe('SIGKILL');
    const [, committedBatches, fetchedBatches] = /committed (\d+), fetched (\d+)/.exec(crashed.stdout) ?? [];
    expect(Number(committedBatches)).toBe(2);
    expect(Number(fetchedBatches)).toBeGreaterThanOrEqual(3);
    // Batches 1 and 2 are committed and wait to be moved together; batch 3 was fetched only.
    expect(readFolder(dovecot, user, 'INBOX')).toHaveLength(10);

    const a = await openTestApp(
      configFor(dovecot, user, { BOUNCED_DATABASE_URL: env.BOUNCED_DATABASE_URL! }),
    );
    apps.push(a);
    expect((await tableCounts(a)).processed_messages).toBe(6);
    const result = await scanOnce(a);
    // Batches 1 and 2 are only moved; batches 3 and 4 are read now.
    expect(result).toMatchObject({ seen: 4, bounces: 4, moved: 10 });
    const counts = await tableCounts(a);
    expect(counts.processed_messages).toBe(10);
    expect(counts.bounce_events).toBe(10);
    const suppressions = await a.bounces.listSuppressions();
    expect(suppressions.map((s) => s.address).sort()).toEqual(
      Array.from({ length: 10 }, (_, i) => `gone${i}@receiver.example`).sort(),
    );
    expect(suppressions.every((s) => s.bounceCount === 1)).toBe(true);
    expect(readFolder(dovecot, user, 'INBOX')).toHaveLength(0);
    expect(readFolder(dovecot, user, 'Processed')).toHaveLength(10);
  });

  it('skips a folder CONDSTORE says is unchanged since the last complete scan, and only then', async () => {
    const user = freshUser();
    seedMaildir(dovecot, user, [
      makeDsn({ recipients: [{ address: 'a@receiver.example', status: '5.1.1' }] }),
    ]);
    const a = await app(user);
    // The count the progress display shows: addresses newly suppressed by this scan.
    expect(await scanOnce(a)).toMatchObject({ seen: 1, moved: 1, suppressed: 1 });
    const stored = await a.db.selectFrom('mailbox_state').select('highest_modseq').executeTakeFirstOrThrow();
    expect(stored.highest_modseq).toMatch(/^\d+$/);
    // Nothing changed: no search, no fetch.
    expect(await scanOnce(a)).toMatchObject({ seen: 0, unchanged: true });
    // New mail raises HIGHESTMODSEQ: read at once.
    seedMaildir(dovecot, user, [
      makeDsn({ recipients: [{ address: 'b@receiver.example', status: '5.1.1' }] }),
    ]);
    const third = await scanOnce(a);
    expect(third).toMatchObject({ seen: 1, bounces: 1, moved: 1, suppressed: 1 });
    expect(third.unchanged).toBeUndefined();
    // A flag changed by hand in the folder counts as a change too.
    seedMaildir(dovecot, user, [makeOrdinaryMail()], 'INBOX', 'S');
    expect(await scanOnce(a)).toMatchObject({ seen: 1, unrecognized: 1 });
    expect((await scanOnce(a)).unchanged).toBe(true);
  });

  it('dedupes by Message-ID when UIDVALIDITY changes (a restored mailbox)', async () => {
    const user = freshUser();
    const dsn = makeDsn({ recipients: [{ address: 'gone@receiver.example', status: '5.1.1' }] });
    seedMaildir(dovecot, user, [dsn]);
    const a = await app(user);
    await scanOnce(a);
    const before = await tableCounts(a);
    const firstValidity = (
      await a.db.selectFrom('mailbox_state').select('uidvalidity').executeTakeFirstOrThrow()
    ).uidvalidity;

    // The same bounce comes back and the server forgets its UIDs: Dovecot keeps them in
    // dovecot-uidlist and its indexes; without them it starts a new UIDVALIDITY.
    await new Promise((r) => setTimeout(r, 1100)); // UIDVALIDITY is a time stamp
    seedMaildir(dovecot, user, [dsn]);
    const inbox = folderDir(dovecot, user, 'INBOX');
    for (const name of readdirSync(inbox))
      if (name.startsWith('dovecot')) rmSync(join(inbox, name), { force: true });

    const result = await scanOnce(a);
    const state = await a.db.selectFrom('mailbox_state').select('uidvalidity').executeTakeFirstOrThrow();
    expect(Number(state.uidvalidity)).not.toBe(Number(firstValidity));
    expect(result).toMatchObject({ seen: 1, bounces: 0, duplicates: 1, moved: 1 });
    const after = await tableCounts(a);
    expect(after.bounce_events).toBe(before.bounce_events);
    expect(after.suppressions).toBe(before.suppressions);
    expect((await a.bounces.listSuppressions())[0]?.bounceCount).toBe(1);
    expect(readFolder(dovecot, user, 'INBOX')).toHaveLength(0);
  });
});
