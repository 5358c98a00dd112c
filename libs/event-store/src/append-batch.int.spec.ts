import { DependsOnLostDecisionError } from './batch-append-plan';
import { EventTooLargeError, WrongExpectedVersionError } from './errors';
import type { StoredEvent } from './events';
import { typedAppend } from './test-support/typed-append';
import { isolatedEventStore, type IsolatedEventStore } from './test-support/isolated-event-store';

describe('PostgresEventStore.appendBatch', () => {
  let db: IsolatedEventStore;

  beforeAll(async () => {
    db = await isolatedEventStore({ poolSize: 8 });
  });
  afterAll(() => db.dispose());

  const append = typedAppend;
  const transactionsOf = (outcomes: Array<{ committed: boolean; events?: StoredEvent[] }>) =>
    new Set(outcomes.flatMap((o) => (o.committed ? o.events!.map((e) => e.transactionId) : [])));

  it('commits many decisions on many streams in one transaction, chained decisions on one stream in order', async () => {
    const outcomes = await db.store.appendBatch([
      { appends: [append('task:b1', 0, 'TaskCreated')] },
      { appends: [append('task:b2', 0, 'TaskCreated')] },
      { appends: [append('task:b1', 1, 'TaskRouted'), append('worker:b', 0, 'WorkerCreated')] },
    ]);

    expect(outcomes.map((o) => o.committed)).toEqual([true, true, true]);
    expect(transactionsOf(outcomes).size).toBe(1);
    const third = outcomes[2] as { events: StoredEvent[] };
    expect(third.events.map((e) => [e.streamId, e.streamVersion, e.type])).toEqual([['task:b1', 2, 'TaskRouted'], ['worker:b', 1, 'WorkerCreated']]);
    expect((await db.store.readStream('task:b1')).events.map((e) => e.type)).toEqual(['TaskCreated', 'TaskRouted']);
  });

  it('a decision that lost to another writer fails alone; those built on it are left out; the rest commit', async () => {
    await db.store.append([append('task:c1', 0, 'TaskCreated'), append('task:c2', 0, 'TaskCreated')]);
    // Someone else decided on task:c1 after our batch read it at version 1.
    await db.store.append([append('task:c1', 1, 'TaskCanceled')]);

    const outcomes = await db.store.appendBatch([
      { appends: [append('task:c1', 1, 'TaskRouted')] },
      { appends: [append('task:c2', 1, 'TaskRouted')] },
      { appends: [append('task:c1', 2, 'TaskReserved')] },
      { appends: [append('task:c3', 0, 'TaskCreated')] },
    ]);

    expect(outcomes.map((o) => o.committed)).toEqual([false, true, false, true]);
    expect((outcomes[0] as { error: Error }).error).toBeInstanceOf(WrongExpectedVersionError);
    expect((outcomes[2] as { error: Error }).error).toBeInstanceOf(DependsOnLostDecisionError);
    expect((await db.store.readStream('task:c1')).events.map((e) => e.type)).toEqual(['TaskCreated', 'TaskCanceled']);
    expect((await db.store.readStream('task:c2')).version).toBe(2);
    expect((await db.store.readStream('task:c3')).version).toBe(1);
  });

  it('a stream created meanwhile by someone else loses only the decision that expected to create it', async () => {
    await db.store.append([append('task:d1', 0, 'TaskCreated')]);

    const outcomes = await db.store.appendBatch([
      { appends: [append('task:d1', 0, 'TaskCreated')] },
      { appends: [append('task:d2', 0, 'TaskCreated')] },
    ]);

    expect(outcomes.map((o) => o.committed)).toEqual([false, true]);
    expect((await db.store.readStream('task:d1')).version).toBe(1);
  });

  it('runs each committed decision\'s own effect and the projection once, in the transaction, and none of a lost one', async () => {
    await db.store.append([append('task:e1', 0, 'TaskCreated')]);
    const effects: string[] = [];
    const projected: string[] = [];

    const outcomes = await db.store.appendBatch([
      { appends: [append('task:e1', 0, 'TaskCreated')], alsoInTransaction: async () => void effects.push('lost one') },
      { appends: [append('task:e2', 0, 'TaskCreated')], alsoInTransaction: async (tx, events) => void effects.push(`e2 ${events.length} ${(await tx.query('SELECT 1 AS one')).rows[0].one}`) },
    ], async (_tx, events) => void projected.push(...events.map((e) => e.streamId)));

    expect(outcomes.map((o) => o.committed)).toEqual([false, true]);
    expect(effects).toEqual(['e2 1 1']);
    expect(projected).toEqual(['task:e2']);
  });

  it('an event too large fails its decision before any SQL, not the batch', async () => {
    const huge = { streamId: 'task:f1', expectedVersion: 0, events: [{ type: 'TaskCreated', data: { padding: 'x'.repeat(5 * 1024 * 1024) } }] };
    const outcomes = await db.store.appendBatch([{ appends: [huge] }, { appends: [append('task:f2', 0, 'TaskCreated')] }]);

    expect((outcomes[0] as { error: Error }).error).toBeInstanceOf(EventTooLargeError);
    expect(outcomes[1].committed).toBe(true);
    expect((await db.store.readStream('task:f1')).version).toBe(0);
  });

  it('an error that is not a conflict fails every decision of the round and commits nothing', async () => {
    const outcomes = await db.store.appendBatch([
      { appends: [append('task:g1', 0, 'TaskCreated')] },
      { appends: [append('task:g2', 0, 'TaskCreated')], alsoInTransaction: async () => { throw new Error('effect failed'); } },
    ]);

    expect(outcomes.map((o) => (o.committed ? 'committed' : o.error.message))).toEqual(['effect failed', 'effect failed']);
    expect((await db.store.readStream('task:g1')).version).toBe(0);
  });

  it('concurrent batches over the same streams never commit two decisions at one version', async () => {
    const streams = Array.from({ length: 10 }, (_, i) => `task:h${i}`);
    await db.store.append(streams.map((s) => append(s, 0, 'TaskCreated')));
    const batch = (who: string) => db.store.appendBatch(streams.map((s) => ({ appends: [{ streamId: s, expectedVersion: 1, events: [{ type: 'TaskRouted', data: { who } }] }] })));

    const [a, b, c] = await Promise.all([batch('a'), batch('b'), batch('c')]);

    for (let i = 0; i < streams.length; i++) expect([a[i], b[i], c[i]].filter((o) => o.committed)).toHaveLength(1);
    for (const s of streams) expect((await db.store.readStream(s)).version).toBe(2);
  });
});
