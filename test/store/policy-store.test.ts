import { afterEach, describe, expect, it } from 'vitest';
import { classifyEvent, immediateSuppression } from '../../src/policy/policy.ts';
import type { EventRecord, MessageRecord } from '../../src/store/records.ts';
import { storeApps } from '../helpers/app.ts';

const apps = storeApps();
afterEach(() => apps.closeAll());
const app = () => apps.open();

let uid = 1;
/** One message with one recipient event, as the scan would record it. */
function message(
  address: string,
  kind: EventRecord['kind'],
  opts: Partial<EventRecord> & { at: string },
): MessageRecord {
  const verdict = {
    action: opts.action ?? 'failed',
    hard: opts.hard ?? false,
    senderSide: opts.senderSide ?? false,
  };
  const policyClass = classifyEvent(kind as never, verdict);
  const rule = immediateSuppression(policyClass, {
    softThreshold: 3,
    softDistinctDays: 2,
    softWindowDays: 30,
    suppressComplaints: true,
  });
  const n = uid++;
  return {
    mailbox: 'INBOX',
    uidValidity: 1,
    uid: n,
    messageId: `m${n}@test`,
    contentHash: `h${n}`,
    outcome: kind,
    targetFolder: 'Processed',
    events: [
      {
        address,
        kind,
        action: verdict.action,
        status: opts.status ?? '4.2.2',
        reason: opts.reason ?? 'mailboxfull',
        hard: verdict.hard,
        senderSide: verdict.senderSide,
        diagnostic: opts.diagnostic ?? '452 4.2.2 Mailbox full',
        occurredAt: opts.at,
        policyClass,
        suppress: rule ? { ...rule, cause: 'test cause' } : undefined,
      },
    ],
  };
}

describe('the policy as recorded in the database', () => {
  it('suppresses after 3 soft failures on 2 days, keeping those failures as evidence', async () => {
    const a = await app();
    const addr = 'full@receiver.example';
    const now = new Date().toISOString().slice(0, 10);
    const yesterday = new Date(Date.now() - 86_400_000).toISOString().slice(0, 10);
    await a.bounces.saveBatch([message(addr, 'bounce', { at: `${yesterday}T08:00:00Z` })]);
    await a.bounces.saveBatch([message(addr, 'bounce', { at: `${yesterday}T09:00:00Z` })]);
    expect(await a.bounces.listSuppressions()).toEqual([]);
    await a.bounces.saveBatch([message(addr, 'bounce', { at: `${now}T00:00:01Z` })]);
    const [s] = await a.bounces.listSuppressions();
    expect(s).toMatchObject({ address: addr, source: 'soft-threshold', reason: 'mailboxfull', active: true });
    expect(s?.rule).toBe('soft failures: 3 on at least 2 distinct days within 30 days');
    const detail = await a.suppressions.show(addr);
    expect(detail.evidence).toHaveLength(3);
    expect(detail.history.map((h) => h.action)).toEqual(['suppressed']);
  });

  it('starts the soft count again after a success report', async () => {
    const a = await app();
    const addr = 'flaky@receiver.example';
    const d = (n: number) => new Date(Date.now() - n * 86_400_000).toISOString();
    await a.bounces.saveBatch([message(addr, 'bounce', { at: d(5) }), message(addr, 'bounce', { at: d(4) })]);
    await a.bounces.saveBatch([
      message(addr, 'delivered', { at: d(3), action: 'delivered', status: '2.0.0', reason: 'delivered' }),
    ]);
    await a.bounces.saveBatch([message(addr, 'bounce', { at: d(2) })]);
    expect(await a.bounces.listSuppressions()).toEqual([]);
  });

  it('starts the soft count again after a manual removal', async () => {
    const a = await app();
    const addr = 'again@receiver.example';
    const d = (n: number) => new Date(Date.now() - n * 86_400_000).toISOString();
    await a.bounces.saveBatch([
      message(addr, 'bounce', { at: d(6) }),
      message(addr, 'bounce', { at: d(5) }),
      message(addr, 'bounce', { at: d(5) }),
    ]);
    expect((await a.bounces.listSuppressions()).map((x) => x.source)).toEqual(['soft-threshold']);
    expect(await a.suppressions.remove(addr, 'mailbox emptied')).toBe(true);
    // Two more after the removal: the three before it no longer count.
    const later = (minutes: number) => new Date(Date.now() + minutes * 60_000).toISOString();
    await a.bounces.saveBatch([
      message(addr, 'bounce', { at: later(1) }),
      message(addr, 'bounce', { at: later(2) }),
    ]);
    expect(await a.bounces.listSuppressions()).toEqual([]);
    // A third, on another day, reaches the threshold again.
    await a.bounces.saveBatch([
      message(addr, 'bounce', { at: new Date(Date.now() + 86_400_000).toISOString() }),
    ]);
    expect((await a.bounces.listSuppressions()).map((x) => [x.address, x.source])).toEqual([
      [addr, 'soft-threshold'],
    ]);
  });

  it('lists an address approaching the threshold with its latest soft failure', async () => {
    const a = await app();
    const addr = 'slow@receiver.example';
    const d = (n: number) => new Date(Date.now() - n * 86_400_000).toISOString();
    await a.bounces.saveBatch([message(addr, 'bounce', { at: d(3) })]); // mailboxfull
    await a.bounces.saveBatch([
      message(addr, 'bounce', {
        at: d(2),
        reason: 'expired',
        status: '4.4.7',
        diagnostic: 'retry time exceeded',
      }),
    ]);
    const data = await a.digests.collect(d(10), new Date().toISOString(), 'UTC');
    expect(data.approaching).toEqual([{ address: addr, count: 2, lastReason: 'expired' }]);
  });

  it('never suppresses for sender-side failures, however many', async () => {
    const a = await app();
    const d = (n: number) => new Date(Date.now() - n * 86_400_000).toISOString();
    for (const n of [5, 4, 3, 2, 1]) {
      await a.bounces.saveBatch([
        message('customer@outlook.example', 'bounce', {
          at: d(n),
          senderSide: true,
          status: '5.7.1',
          reason: 'blocked',
        }),
      ]);
    }
    expect(await a.bounces.listSuppressions()).toEqual([]);
  });

  it('keeps the history of a removal, and a new hard bounce suppresses again', async () => {
    const a = await app();
    const addr = 'gone@receiver.example';
    const hard = () =>
      message(addr, 'bounce', {
        at: new Date().toISOString(),
        hard: true,
        status: '5.1.1',
        reason: 'userunknown',
      });
    await a.bounces.saveBatch([hard()]);
    expect(await a.suppressions.remove(addr, 'customer says it works again')).toBe(true);
    expect(await a.bounces.listSuppressions()).toEqual([]);
    expect((await a.bounces.listSuppressions(true))[0]).toMatchObject({ address: addr, active: false });
    await a.bounces.saveBatch([hard()]);
    const detail = await a.suppressions.show(addr);
    expect(detail.suppression).toMatchObject({ active: true, source: 'bounce', bounceCount: 2 });
    expect(detail.history.map((h) => [h.action, h.cause])).toEqual([
      ['suppressed', 'test cause'],
      ['removed', 'customer says it works again'],
      ['suppressed', 'test cause'],
    ]);
    expect(detail.evidence).toHaveLength(2);
  });

  it('adds by hand with the reason, and removes only what is suppressed', async () => {
    const a = await app();
    await a.suppressions.add('vip@receiver.example', 'asked to stop');
    expect((await a.bounces.listSuppressions())[0]).toMatchObject({
      source: 'manual',
      cause: 'asked to stop',
    });
    expect(await a.suppressions.remove('nobody@receiver.example')).toBe(false);
  });

  it('keys an IDN address by its A-label domain, finds it by either form and shows it readably', async () => {
    const a = await app();
    // The parser gives the readable form, as it reads either form from a report.
    await a.bounces.saveBatch([
      message('user@müller.example', 'bounce', {
        at: new Date().toISOString(),
        hard: true,
        status: '5.1.1',
        reason: 'userunknown',
      }),
    ]);
    const stored = await a.db.selectFrom('suppressions').select('address').execute();
    expect(stored).toEqual([{ address: 'user@xn--mller-kva.example' }]);
    const events = await a.db.selectFrom('bounce_events').select('address').execute();
    expect(events).toEqual([{ address: 'user@xn--mller-kva.example' }]);
    for (const form of ['user@müller.example', 'user@xn--mller-kva.example', 'user@MÜLLER.example']) {
      const detail = await a.suppressions.show(form);
      expect(detail.key, form).toBe('user@xn--mller-kva.example');
      expect(detail.suppression?.address, form).toBe('user@müller.example');
      expect(detail.evidence, form).toHaveLength(1);
    }
    expect((await a.bounces.listSuppressions()).map((r) => r.address)).toEqual(['user@müller.example']);
    expect(await a.suppressions.remove('user@xn--mller-kva.example')).toBe(true);
    expect((await a.suppressions.show('user@müller.example')).suppression?.active).toBe(false);
  });
});
