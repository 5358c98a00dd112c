import { compareCheckpoints } from './checkpoint-order';
import type { GlobalCheckpoint, StoredEvent } from './events';
import { isolatedEventStore, type IsolatedEventStore } from './test-support/isolated-event-store';
import { UpcasterRegistry } from './upcasters';

describe('PostgresEventStore.readAll', () => {
  let db: IsolatedEventStore;

  beforeEach(async () => {
    db = await isolatedEventStore({
      upcasters: new UpcasterRegistry().register('TaskCreated', 1, (data) => ({ ...data, priority: data.priority ?? 0 })),
    });
  });
  afterEach(() => db.dispose());

  const event = (label: string) => ({ type: 'Labelled', data: { label } });
  const labels = (events: StoredEvent[]) => events.map((e) => e.data.label);

  // Another spec's open transaction anywhere in the cluster holds readAll back until it
  // ends, so readers poll until they have what was committed, page by page.
  async function readUntil(count: number, options: { after?: GlobalCheckpoint | null; pageSize?: number } = {}): Promise<StoredEvent[]> {
    const read: StoredEvent[] = [];
    let after = options.after ?? null;
    while (read.length < count) {
      const page = await db.store.readAll({ after, limit: options.pageSize ?? 100 });
      if (page.length === 0) await new Promise((resolve) => setTimeout(resolve, 10));
      read.push(...page);
      after = page[page.length - 1] ?? after;
    }
    return read;
  }

  it('pages through committed events in commit order from a checkpoint', async () => {
    await db.store.append([{ streamId: 's:1', expectedVersion: 0, events: [event('a'), event('b')] }]);
    await db.store.append([
      { streamId: 's:2', expectedVersion: 0, events: [event('c')] },
      { streamId: 's:1', expectedVersion: 2, events: [event('d')] },
    ]);

    const all = await readUntil(4, { pageSize: 3 });

    expect(labels(all)).toEqual(['a', 'b', 'c', 'd']);
    expect(all.every((e, i) => i === 0 || compareCheckpoints(all[i - 1], e) < 0)).toBe(true);
  });

  it('never advances past a transaction that commits after a later one', async () => {
    let commitA!: () => void;
    const aMayCommit = new Promise<void>((resolve) => (commitA = resolve));
    let aInserted!: () => void;
    const aHasInserted = new Promise<void>((resolve) => (aInserted = resolve));
    const transactionA = db.store.transaction(async (tx) => {
      await db.store.appendWithin(tx, [{ streamId: 's:a', expectedVersion: 0, events: [event('A')] }]);
      aInserted();
      await aMayCommit;
    });
    await aHasInserted;
    await db.store.append([{ streamId: 's:b', expectedVersion: 0, events: [event('B')] }]);

    const whileAIsOpen = await db.store.readAll({ after: null, limit: 100 });
    commitA();
    await transactionA;
    const afterACommitted = await readUntil(2, { after: whileAIsOpen[whileAIsOpen.length - 1] ?? null });

    expect(labels(whileAIsOpen)).toEqual([]);
    expect(labels(afterACommitted)).toEqual(['A', 'B']);
  });

  it('never returns events of a transaction that rolled back', async () => {
    await db.store
      .append([{ streamId: 's:rolled', expectedVersion: 0, events: [event('rolled back')] }], async () => {
        throw new Error('abort');
      })
      .catch(() => undefined);
    await db.store.append([{ streamId: 's:kept', expectedVersion: 0, events: [event('kept')] }]);

    const committed = await readUntil(1);
    expect(labels([...committed, ...(await db.store.readAll({ after: committed[0], limit: 10 }))])).toEqual(['kept']);
  });

  it('upcasts old event shapes on read, leaving the stored row as it was', async () => {
    await db.store.append([{ streamId: 'task:old', expectedVersion: 0, events: [{ type: 'TaskCreated', data: { sid: 'WT1' } }] }]);

    const [fromLog] = await readUntil(1);
    const { events: fromStream } = await db.store.readStream('task:old');
    const { rows } = await db.pool.query(`SELECT schema_version, data FROM "${db.schema}".events`);

    expect(fromLog).toMatchObject({ schemaVersion: 2, data: { sid: 'WT1', priority: 0 } });
    expect(fromStream[0]).toEqual(fromLog);
    expect(rows).toEqual([{ schema_version: 1, data: { sid: 'WT1' } }]);
  });

  it('saves and loads named checkpoints', async () => {
    expect(await db.store.loadCheckpoint('relay')).toBeNull();

    await db.store.saveCheckpoint('relay', { transactionId: '100', position: '7' });
    await db.store.transaction((tx) => db.store.saveCheckpoint('relay', { transactionId: '101', position: '9' }, tx));

    expect(await db.store.loadCheckpoint('relay')).toEqual({ transactionId: '101', position: '9' });
  });

  it('wakes listeners when an append commits, in a store that notifies appends', async () => {
    const notifying = await isolatedEventStore({ notifyAppends: true });
    try {
      let woken!: () => void;
      const wokenUp = new Promise<void>((resolve) => (woken = resolve));
      const stopListening = await notifying.store.onAppended(() => woken());

      await notifying.store.append([{ streamId: 's:notify', expectedVersion: 0, events: [event('n')] }]);

      await wokenUp;
      await stopListening();
    } finally {
      await notifying.dispose();
    }
  });
});
