import { isolatedEventStore, type IsolatedEventStore } from './test-support/isolated-event-store';
import { UpcasterRegistry } from './upcasters';
import { withTransaction } from './with-transaction';
import type { ProjectableEvent } from './events';

describe('PostgresEventStore.openProjectableCursor', () => {
  let db: IsolatedEventStore;
  afterEach(() => db.dispose());

  const event = (label: string) => ({ type: 'Labelled', data: { label }, metadata: { correlationId: label } });

  async function readAll(pageSize: number, during?: () => Promise<void>): Promise<ProjectableEvent[][]> {
    return withTransaction(db.pool, async (tx) => {
      const cursor = await db.store.openProjectableCursor(tx);
      const pages: ProjectableEvent[][] = [];
      for (;;) {
        const page = await cursor.read(pageSize);
        if (pages.length === 0) await during?.();
        if (page.length === 0) break;
        pages.push(page);
      }
      await cursor.close();
      expect(await cursor.read(pageSize)).toEqual([]);
      return pages;
    }, { isolation: 'REPEATABLE READ', readOnly: true });
  }

  it('reads the log in commit order, page by page, as stream version, type and data only', async () => {
    db = await isolatedEventStore();
    await db.store.append([{ streamId: 's:1', expectedVersion: 0, events: [event('a'), event('b')] }]);
    await db.store.append([
      { streamId: 's:2', expectedVersion: 0, events: [event('c')] },
      { streamId: 's:1', expectedVersion: 2, events: [event('d')] },
    ]);

    const pages = await readAll(3);

    expect(pages.map((page) => page.length)).toEqual([3, 1]);
    expect(pages.flat()).toEqual([
      { streamVersion: 1, type: 'Labelled', data: { label: 'a' } },
      { streamVersion: 2, type: 'Labelled', data: { label: 'b' } },
      { streamVersion: 1, type: 'Labelled', data: { label: 'c' } },
      { streamVersion: 3, type: 'Labelled', data: { label: 'd' } },
    ]);
  });

  it('sees only what had committed when its transaction took its snapshot', async () => {
    db = await isolatedEventStore();
    await db.store.append([{ streamId: 's:1', expectedVersion: 0, events: [event('before')] }]);

    const pages = await readAll(1, () => db.store.append([{ streamId: 's:2', expectedVersion: 0, events: [event('after')] }]).then(() => undefined));

    expect(pages.flat().map((e) => e.data.label)).toEqual(['before']);
  });

  it('reads whole events and upcasts them where upcasters are registered', async () => {
    db = await isolatedEventStore({ upcasters: new UpcasterRegistry().register('Labelled', 1, (data, e) => ({ ...data, from: e.metadata.correlationId })) });
    await db.store.append([{ streamId: 's:1', expectedVersion: 0, events: [event('a')] }]);

    const [[read]] = await readAll(10);
    const [stored] = await withTransaction(db.pool, (tx) => db.store.readAllInSnapshot(tx, { limit: 1 }));

    expect(read).toMatchObject({ streamVersion: 1, type: 'Labelled', schemaVersion: 2, data: { label: 'a', from: 'a' } });
    expect(read).toEqual(stored);
  });
});

describe('PostgresEventStore.openProjectableCursor, selecting', () => {
  let db: IsolatedEventStore;
  beforeAll(async () => {
    db = await isolatedEventStore();
    await db.store.append([
      { streamId: 's:1', expectedVersion: 0, events: [{ type: 'A', data: { x: 1, y: 'kept', z: [1] } }, { type: 'B', data: { x: 2 } }, { type: 'C', data: { x: 3 } }] },
    ]);
  });
  afterAll(() => db.dispose());

  const read = (only: Parameters<typeof db.store.openProjectableCursor>[1]) => withTransaction(db.pool, async (tx) => {
    const cursor = await db.store.openProjectableCursor(tx, only);
    return cursor.read(100);
  }, { isolation: 'REPEATABLE READ', readOnly: true });

  it('keeps to some types, or to all others', async () => {
    expect((await read({ types: ['A', 'C'] })).map((e) => e.type)).toEqual(['A', 'C']);
    expect((await read({ exceptTypes: ['A', 'C'] })).map((e) => e.type)).toEqual(['B']);
  });

  it("cuts a type's data down to the fields asked for, absent ones as null, other types whole", async () => {
    expect(await read({ narrowed: { A: ['y', 'w'] } })).toEqual([
      { streamVersion: 1, type: 'A', data: { y: 'kept', w: null } },
      { streamVersion: 2, type: 'B', data: { x: 2 } },
      { streamVersion: 3, type: 'C', data: { x: 3 } },
    ]);
  });
});
