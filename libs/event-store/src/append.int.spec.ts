import { NestedTransactionError, StreamOrderConflictError, WrongExpectedVersionError } from './errors';
import type { StoredEvent } from './events';
import { isolatedEventStore, type IsolatedEventStore } from './test-support/isolated-event-store';

describe('PostgresEventStore.append', () => {
  let db: IsolatedEventStore;

  beforeAll(async () => {
    db = await isolatedEventStore({ poolSize: 22 });
  });
  afterAll(() => db.dispose());

  const created = (n: number) => ({ type: 'TaskCreated', data: { n } });

  it('stores events with contiguous versions, global positions and millisecond timestamps', async () => {
    const appended = await db.store.append([
      { streamId: 'task:1', expectedVersion: 0, events: [created(1), { type: 'TaskUpdated', data: { n: 2 }, schemaVersion: 2, metadata: { workspaceSid: 'WS1' } }] },
    ]);

    const { version, events } = await db.store.readStream('task:1');
    expect(version).toBe(2);
    expect(events).toEqual(appended);
    expect(events.map((e) => [e.streamVersion, e.type, e.schemaVersion, e.data, e.metadata])).toEqual([
      [1, 'TaskCreated', 1, { n: 1 }, {}],
      [2, 'TaskUpdated', 2, { n: 2 }, { workspaceSid: 'WS1' }],
    ]);
    expect(BigInt(events[1].position)).toBeGreaterThan(BigInt(events[0].position));
    expect(events[0].transactionId).toBe(events[1].transactionId);
    expect(events[0].recordedAt).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
  });

  it('reads a stream from a version, still reporting the stream version', async () => {
    await db.store.append([{ streamId: 'task:from', expectedVersion: 0, events: [created(1), created(2), created(3)] }]);

    const tail = await db.store.readStream('task:from', { fromVersion: 3 });
    const beyond = await db.store.readStream('task:from', { fromVersion: 4 });
    const missing = await db.store.readStream('task:none');

    expect(tail.events.map((e) => e.streamVersion)).toEqual([3]);
    expect(tail.version).toBe(3);
    expect(beyond).toEqual({ version: 3, events: [] });
    expect(missing).toEqual({ version: 0, events: [] });
  });

  it('rejects an append whose expected version is not the stream version', async () => {
    await db.store.append([{ streamId: 'task:2', expectedVersion: 0, events: [created(1)] }]);

    const conflicts = await Promise.all([
      db.store.append([{ streamId: 'task:2', expectedVersion: 0, events: [created(2)] }]).catch((e) => e),
      db.store.append([{ streamId: 'task:2', expectedVersion: 3, events: [created(2)] }]).catch((e) => e),
      db.store.append([{ streamId: 'task:absent', expectedVersion: 1, events: [created(2)] }]).catch((e) => e),
    ]);

    expect(conflicts.map((e) => e instanceof WrongExpectedVersionError && [e.streamId, e.expected, e.actual])).toEqual([
      ['task:2', 0, 1],
      ['task:2', 3, 1],
      ['task:absent', 1, 0],
    ]);
    expect((await db.store.readStream('task:2')).version).toBe(1);
    expect(await db.store.readStream('task:absent')).toEqual({ version: 0, events: [] });
  });

  it("appends after whatever is there with expectedVersion 'any'", async () => {
    await db.store.append([{ streamId: 'task:any', expectedVersion: 'any', events: [created(1)] }]);
    await db.store.append([{ streamId: 'task:any', expectedVersion: 'any', events: [created(2), created(3)] }]);

    const { version, events } = await db.store.readStream('task:any');
    expect(version).toBe(3);
    expect(events.map((e) => e.data.n)).toEqual([1, 2, 3]);
  });

  it('keeps versions contiguous and stores exactly the successful appends when many connections race', async () => {
    const clients = 20;
    const attemptsPerClient = 20;
    const succeeded: StoredEvent[] = [];
    let conflicts = 0;

    await Promise.all(
      Array.from({ length: clients }, async (_, client) => {
        for (let attempt = 0; attempt < attemptsPerClient; attempt++) {
          const { version } = await db.store.readStream('worker:race');
          try {
            succeeded.push(
              ...(await db.store.append([{ streamId: 'worker:race', expectedVersion: version, events: [{ type: 'Tick', data: { client, attempt } }] }])),
            );
          } catch (error) {
            if (!(error instanceof WrongExpectedVersionError)) throw error;
            conflicts++;
          }
        }
      }),
    );

    const { version, events } = await db.store.readStream('worker:race');
    expect(succeeded.length + conflicts).toBe(clients * attemptsPerClient);
    expect(version).toBe(succeeded.length);
    expect(events.map((e) => e.streamVersion)).toEqual(Array.from({ length: succeeded.length }, (_, i) => i + 1));
    const key = (e: StoredEvent) => `${e.data.client}/${e.data.attempt}`;
    expect(events.map(key).sort()).toEqual(succeeded.map(key).sort());
  });

  it('appends to several streams atomically: one conflict rolls back every stream', async () => {
    await db.store.append([
      { streamId: 'task:a', expectedVersion: 0, events: [created(1)] },
      { streamId: 'worker:b', expectedVersion: 0, events: [created(1)] },
    ]);

    const conflict = await db.store
      .append([
        { streamId: 'task:a', expectedVersion: 1, events: [{ type: 'TaskReserved', data: {} }] },
        { streamId: 'worker:b', expectedVersion: 0, events: [{ type: 'WorkerReserved', data: {} }] },
        { streamId: 'reservation:c', expectedVersion: 0, events: [{ type: 'ReservationCreated', data: {} }] },
      ])
      .catch((e) => e);

    expect(conflict).toBeInstanceOf(WrongExpectedVersionError);
    expect(conflict).toMatchObject({ streamId: 'worker:b', expected: 0, actual: 1 });
    expect((await db.store.readStream('task:a')).version).toBe(1);
    expect((await db.store.readStream('worker:b')).version).toBe(1);
    expect((await db.store.readStream('reservation:c')).version).toBe(0);
  });

  describe('with a projection', () => {
    beforeAll(() => db.pool.query(`CREATE TABLE "${db.schema}".task_view (stream_id text PRIMARY KEY, version int NOT NULL)`));

    const projectTaskView = async (tx: import('pg').PoolClient, events: StoredEvent[]) => {
      for (const e of events) {
        await tx.query(
          `INSERT INTO "${db.schema}".task_view VALUES ($1, $2) ON CONFLICT (stream_id) DO UPDATE SET version = excluded.version`,
          [e.streamId, e.streamVersion],
        );
      }
    };

    it('updates the projection in the transaction of its events', async () => {
      await db.store.append([{ streamId: 'task:p1', expectedVersion: 0, events: [created(1), created(2)] }], projectTaskView);

      const { rows } = await db.pool.query(`SELECT version FROM "${db.schema}".task_view WHERE stream_id = 'task:p1'`);
      expect(rows).toEqual([{ version: 2 }]);
    });

    it('rolls back the events and the projection when the projection throws', async () => {
      const failure = await db.store
        .append([{ streamId: 'task:p2', expectedVersion: 0, events: [created(1)] }], async (tx, events) => {
          await projectTaskView(tx, events);
          throw new Error('projection failed');
        })
        .catch((e) => e);

      expect(failure.message).toBe('projection failed');
      expect(await db.store.readStream('task:p2')).toEqual({ version: 0, events: [] });
      const { rows } = await db.pool.query(`SELECT * FROM "${db.schema}".task_view WHERE stream_id = 'task:p2'`);
      expect(rows).toEqual([]);
    });
  });

  it('refuses to append behind an event that a later transaction committed first', async () => {
    let releaseEarly!: () => void;
    const earlyMayAppend = new Promise<void>((resolve) => (releaseEarly = resolve));
    let early!: Promise<unknown>;
    const earlyHasTransactionId = new Promise<void>((hasId) => {
      // Writing something first gives the early transaction its (lower) id.
      early = db.store
        .transaction(async (tx) => {
          await db.store.claim(tx, 'early', { streamId: 'task:order', streamVersion: 1 });
          hasId();
          await earlyMayAppend;
          return db.store.appendWithin(tx, [{ streamId: 'task:order', expectedVersion: 'any', events: [created(2)] }]);
        })
        .catch((e) => e);
    });
    await earlyHasTransactionId;

    const late = await db.store.append([{ streamId: 'task:order', expectedVersion: 0, events: [created(1)] }]);
    releaseEarly();

    expect(await early).toBeInstanceOf(StreamOrderConflictError);
    const retried = await db.store.append([{ streamId: 'task:order', expectedVersion: 'any', events: [created(2)] }]);
    expect(BigInt(retried[0].transactionId)).toBeGreaterThan(BigInt(late[0].transactionId));
    expect((await db.store.readStream('task:order')).events.map((e) => e.data.n)).toEqual([1, 2]);
  });

  it('refuses a transaction opened inside another one', async () => {
    const nested = await db.store
      .transaction(() => db.store.append([{ streamId: 'task:nested', expectedVersion: 0, events: [created(1)] }]))
      .catch((e) => e);

    expect(nested).toBeInstanceOf(NestedTransactionError);
    expect((await db.store.readStream('task:nested')).version).toBe(0);
  });
});
