import { isolatedEventStore, type IsolatedEventStore } from './test-support/isolated-event-store';

describe('consumer claims and leases', () => {
  let db: IsolatedEventStore;

  beforeAll(async () => {
    db = await isolatedEventStore();
  });
  afterAll(() => db.dispose());

  const claim = (consumer: string, streamId: string, streamVersion: number) =>
    db.store.transaction((tx) => db.store.claim(tx, consumer, { streamId, streamVersion }));

  it('claims an event once per consumer; a redelivery or an older version is refused', async () => {
    expect(await claim('matcher', 'task:1', 1)).toBe(true);
    expect(await claim('matcher', 'task:1', 1)).toBe(false);
    expect(await claim('timer', 'task:1', 1)).toBe(true);
    expect(await claim('matcher', 'task:1', 2)).toBe(true);
    expect(await claim('matcher', 'task:1', 1)).toBe(false);
    expect(await claim('matcher', 'task:2', 1)).toBe(true);
  });

  it('forgets a claim whose effect rolled back, so the redelivery is processed', async () => {
    await db.store
      .transaction(async (tx) => {
        await db.store.claim(tx, 'matcher', { streamId: 'task:rollback', streamVersion: 1 });
        throw new Error('effect failed');
      })
      .catch(() => undefined);

    expect(await claim('matcher', 'task:rollback', 1)).toBe(true);
  });

  it('lets one holder at a time take a lease, and the next one after release', async () => {
    const first = await db.store.tryAcquireLease('relay');
    const second = await db.store.tryAcquireLease('relay');
    const other = await db.store.tryAcquireLease('another-role');

    expect(first?.isHeld()).toBe(true);
    expect(second).toBeNull();
    expect(other?.isHeld()).toBe(true);

    await first?.release();
    const third = await db.store.tryAcquireLease('relay');
    expect(first?.isHeld()).toBe(false);
    expect(third?.isHeld()).toBe(true);
    await third?.release();
    await other?.release();
  });
});
