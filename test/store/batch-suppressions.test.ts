import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import type { App } from '../../src/main.ts';
import { classifyEvent, immediateSuppression } from '../../src/policy/policy.ts';
import { BounceStore } from '../../src/store/bounce-store.ts';
import type { MessageRecord } from '../../src/store/records.ts';
import { SuppressionStore } from '../../src/store/suppression-store.ts';
import { storeApps } from '../helpers/app.ts';
import { TEST_STORE } from '../helpers/store.ts';

// A batch's suppressions are decided with what they read read once for the batch. They must
// come out as if its events had come one batch each: this compares the two on random
// histories of a few addresses (hard and soft failures, successes, complaints, forged and
// sender-side failures, removals and additions by hand).

const NOW = new Date('2026-12-03T12:00:00.000Z');
const clock = () => NOW;

const apps = storeApps();
afterEach(() => apps.closeAll());
const app = () => apps.open();

type Kind = 'hard' | 'soft' | 'success' | 'complaint' | 'forged' | 'sender';
type Step =
  | { event: Kind; address: number; hoursAgo: number }
  | { removal: number }
  | { addition: number }
  | { cut: true };

const ADDRESSES = ['a@receiver.example', 'b@receiver.example'];

const step: fc.Arbitrary<Step> = fc.oneof(
  {
    weight: 14,
    arbitrary: fc.record({
      event: fc.constantFrom<Kind>(
        'hard',
        'soft',
        'soft',
        'soft',
        'success',
        'complaint',
        'forged',
        'sender',
      ),
      address: fc.nat({ max: ADDRESSES.length - 1 }),
      // Up to 40 days back (the window is 30) and a day ahead: a report's Date can be anything.
      hoursAgo: fc.integer({ min: -24, max: 40 * 24 }),
    }),
  },
  { weight: 1, arbitrary: fc.record({ removal: fc.nat({ max: ADDRESSES.length - 1 }) }) },
  { weight: 1, arbitrary: fc.record({ addition: fc.nat({ max: ADDRESSES.length - 1 }) }) },
  { weight: 1, arbitrary: fc.constant({ cut: true as const }) },
);

function record(a: App, s: Extract<Step, { event: Kind }>, uid: number): MessageRecord {
  const verdict = {
    action: s.event === 'success' ? 'delivered' : 'failed',
    hard: s.event === 'hard',
    senderSide: s.event === 'sender',
  };
  const kind = s.event === 'complaint' ? 'complaint' : s.event === 'success' ? 'delivered' : 'bounce';
  const policyClass = classifyEvent(kind as never, verdict, s.event === 'complaint' ? 'abuse' : undefined);
  const rule = immediateSuppression(policyClass, a.config.policy);
  const forged = s.event === 'forged';
  return {
    mailbox: 'INBOX',
    uidValidity: 1,
    uid,
    messageId: `m${uid}@test`,
    contentHash: `h${uid}`,
    outcome: kind,
    targetFolder: 'Processed',
    events: [
      {
        address: ADDRESSES[s.address]!,
        kind,
        action: verdict.action,
        status: s.event === 'hard' ? '5.1.1' : s.event === 'success' ? '2.0.0' : '4.2.2',
        reason: s.event === 'hard' ? 'userunknown' : s.event === 'success' ? 'delivered' : 'mailboxfull',
        hard: verdict.hard,
        senderSide: verdict.senderSide,
        diagnostic: `event ${uid}`,
        occurredAt: new Date(NOW.getTime() - s.hoursAgo * 3_600_000).toISOString(),
        policyClass,
        forged,
        suppress: rule && !forged ? { ...rule, cause: `cause ${uid}` } : undefined,
      },
    ],
  };
}

/** Runs the history, an event per batch (ONEBYONE) or in batches ended by cuts and by-hand changes. */
async function replay(steps: readonly Step[], oneByOne: boolean) {
  const a = await app();
  const bounces = new BounceStore(a.db, a.config.policy, clock);
  const byHand = new SuppressionStore(a.db, clock);
  let batch: MessageRecord[] = [];
  let uid = 1;
  const flush = async () => {
    if (batch.length) await bounces.saveBatch(batch);
    batch = [];
  };
  for (const s of steps) {
    if ('event' in s) {
      batch.push(record(a, s, uid++));
      if (oneByOne) await flush();
    } else if ('cut' in s) await flush();
    else {
      await flush();
      if ('removal' in s) await byHand.remove(ADDRESSES[s.removal]!, 'removed in the test');
      else await byHand.add(ADDRESSES[s.addition]!, 'added in the test');
    }
  }
  await flush();
  const suppressions = await a.db
    .selectFrom('suppressions')
    .select([
      'address',
      'source',
      'rule',
      'reason',
      'cause',
      'status',
      'diagnostic',
      'bounce_count',
      'active',
      'last_event_id',
      'removed_at',
    ])
    .orderBy('address')
    .execute();
  const evidence = await a.db
    .selectFrom('suppression_evidence as se')
    .innerJoin('suppressions as s', 's.id', 'se.suppression_id')
    .select(['s.address', 'se.event_id'])
    .orderBy('s.address')
    .orderBy('se.event_id')
    .execute();
  const log = await a.db
    .selectFrom('suppression_log')
    .select(['address', 'action', 'source', 'rule', 'cause'])
    .orderBy('id')
    .execute();
  const norm = (rows: object[]) =>
    rows.map((r) =>
      Object.fromEntries(Object.entries(r).map(([k, v]) => [k, typeof v === 'bigint' ? Number(v) : v])),
    );
  return { suppressions: norm(suppressions), evidence: norm(evidence), log: norm(log) };
}

describe('the suppressions of a batch', () => {
  it('come out as if each event had come in a batch of its own', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(step, { minLength: 1, maxLength: 40 }), async (steps) => {
        const batched = await replay(steps, false);
        const single = await replay(steps, true);
        expect(batched).toEqual(single);
        await apps.closeAll();
      }),
      // Each run opens two databases: a schema each on PostgreSQL, slower than a SQLite file.
      { numRuns: TEST_STORE === 'postgres' ? 25 : 60 },
    );
  }, 120_000);

  it('count every later event of a suppressed address as evidence, in the batch and after it', async () => {
    const steps: Step[] = [
      { event: 'hard', address: 0, hoursAgo: 3 },
      { event: 'complaint', address: 0, hoursAgo: 2 },
      { event: 'hard', address: 0, hoursAgo: 1 },
      { cut: true },
      { event: 'hard', address: 0, hoursAgo: 0 },
    ];
    const { suppressions, evidence, log } = await replay(steps, false);
    // The first event's rule and cause; the later ones renew it.
    expect(suppressions).toMatchObject([
      { address: ADDRESSES[0], source: 'bounce', cause: 'cause 1', bounce_count: 4, last_event_id: 4 },
    ]);
    expect(evidence.map((e) => e.event_id)).toEqual([1, 2, 3, 4]);
    expect(log.map((l) => l.action)).toEqual(['suppressed']);
  });

  it('start the soft count again at a success report earlier in the same batch', async () => {
    const steps: Step[] = [
      { event: 'soft', address: 0, hoursAgo: 240 },
      { event: 'soft', address: 0, hoursAgo: 216 },
      { event: 'success', address: 0, hoursAgo: 120 },
      { event: 'soft', address: 0, hoursAgo: 24 },
    ];
    expect((await replay(steps, false)).suppressions).toEqual([]);
    // Without the success, the third soft failure on a third day suppresses.
    const without = await replay(
      steps.filter((s) => !('event' in s) || s.event !== 'success'),
      false,
    );
    expect(without.suppressions).toMatchObject([{ address: ADDRESSES[0], source: 'soft-threshold' }]);
  });

  it('count no failure dated at the very moment of the success report that came before it', async () => {
    const steps: Step[] = [
      { event: 'success', address: 0, hoursAgo: 30 },
      { event: 'soft', address: 0, hoursAgo: 30 },
      { event: 'soft', address: 0, hoursAgo: 20 },
      { event: 'soft', address: 0, hoursAgo: 1 },
    ];
    // Only those after it count (occurred_at > since): two, not three.
    expect((await replay(steps, false)).suppressions).toEqual([]);
    expect((await replay(steps, true)).suppressions).toEqual([]);
  });

  it('suppress an address at the third soft failure inside one batch, with the three as evidence', async () => {
    const steps: Step[] = [
      { event: 'soft', address: 0, hoursAgo: 50 },
      { event: 'soft', address: 1, hoursAgo: 49 },
      { event: 'soft', address: 0, hoursAgo: 26 },
      { event: 'soft', address: 0, hoursAgo: 2 },
      { event: 'soft', address: 0, hoursAgo: 1 },
    ];
    const { suppressions, evidence } = await replay(steps, false);
    expect(suppressions).toMatchObject([
      { address: ADDRESSES[0], source: 'soft-threshold', active: 1, bounce_count: 3, last_event_id: 4 },
    ]);
    // The rule fired at the fourth event, the address's third soft failure (on a third day);
    // a soft failure of an address already suppressed adds nothing.
    expect(evidence.map((e) => e.event_id)).toEqual([1, 3, 4]);
  });
});

describe('a report that names one address thousands of times', () => {
  /** Seconds to save one message with N soft failures of one address, all at one moment. */
  async function seconds(n: number): Promise<number> {
    const a = await app();
    const bounces = new BounceStore(a.db, a.config.policy, clock);
    const one = record(a, { event: 'soft', address: 0, hoursAgo: 1 }, 1);
    const events = Array.from({ length: n }, () => one.events[0]!);
    const t = performance.now();
    await bounces.saveBatch([{ ...one, events }]);
    return (performance.now() - t) / 1000;
  }

  it('is saved in time linear in its events, not quadratic', async () => {
    // Each failure's rule counts the address's failures before it: read again for each, it
    // was quadratic (8,000 failures of one address took 53 s). Linear work grows 8x from 2,000
    // to 16,000; quadratic 64x. The bound is generous for a loaded machine.
    await seconds(200); // warm up
    const small = await seconds(2_000);
    const large = await seconds(16_000);
    expect(large / small).toBeLessThan(24);
  }, 60_000);
});
