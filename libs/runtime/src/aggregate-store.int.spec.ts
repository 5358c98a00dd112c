import { decideWorker, decideWorkspace, initialWorkerState, initialWorkspaceState } from '@taskrouter/domain';
import { PostgresEventStore } from '@taskrouter/event-store';
import { testDatabaseUrl, uniqueName } from '@taskrouter/testing';
import { Pool } from 'pg';
import { AggregateStore, appendTo } from './aggregate-store';
import { decideBatch } from './batch/decide-batch';
import { DecisionBatch } from './batch/decision-batch';

describe('AggregateStore against the real Postgres', () => {
  const schema = uniqueName('aggregates');
  const pool = new Pool({ connectionString: testDatabaseUrl() });
  const eventStore = new PostgresEventStore(pool, { schema });
  let sids = 0;
  const newSid = (prefix: string) => `${prefix}${String(++sids).padStart(32, '0')}`;
  const now = new Date('2026-01-01T00:00:00.000Z');

  /** The streams read from here on (reads of one turn go to Postgres together, as `readStreams`). */
  const watchReads = () => {
    const spy = jest.spyOn(eventStore, 'readStreams');
    return { streams: () => spy.mock.calls.flatMap(([requests]) => requests.map((r) => r.streamId)), restore: () => spy.mockRestore() };
  };

  beforeAll(() => eventStore.migrate());
  afterAll(async () => {
    await pool.query(`DROP SCHEMA "${schema}" CASCADE`);
    await pool.end();
  });

  it('folds only the new events onto a cached state, and agrees with a full fold from another store', async () => {
    const cached = new AggregateStore(eventStore);
    const workspaceSid = newSid('WS');
    const workspace = await cached.load('workspace', workspaceSid);
    await eventStore.append([appendTo(workspace, decideWorkspace({ type: 'CreateWorkspace', workspaceSid, accountSid: newSid('AC'), friendlyName: 'w', newSid }, initialWorkspaceState, now), {})]);
    const created = await cached.load('workspace', workspaceSid);
    const workerSid = newSid('WK');
    const worker = await cached.load('worker', workerSid);
    await eventStore.append([appendTo(worker, decideWorker({ type: 'CreateWorker', workerSid, friendlyName: 'ann', attributes: {}, newSid }, initialWorkerState, created.state, now), {})]);
    const first = await cached.load('worker', workerSid);
    const available = Object.values(created.state.activities).find((a) => a.available)!.activitySid;
    await eventStore.append([appendTo(first, decideWorker({ type: 'UpdateWorker', activitySid: available, attributes: { level: 3 } }, first.state, created.state, now), {})]);

    const second = await cached.load('worker', workerSid);
    const fresh = await new AggregateStore(eventStore).load('worker', workerSid);
    expect(second.version).toBe(3);
    expect(second.state).toEqual(fresh.state);
    expect(second.state).toMatchObject({ attributes: { level: 3 }, activity: { sid: available, available: true } });
    expect(first.state.activity.available).toBe(false);
  });

  it('answers the initial state at version 0 for a stream that does not exist', async () => {
    const missing = await new AggregateStore(eventStore).load('task', newSid('WT'));
    expect(missing).toMatchObject({ version: 0, state: { exists: false } });
  });

  describe('in a consumer batch', () => {
    const createWorker = async (store: AggregateStore) => {
      const workspaceSid = newSid('WS');
      const workspaceEvents = decideWorkspace({ type: 'CreateWorkspace', workspaceSid, accountSid: newSid('AC'), friendlyName: 'w', newSid }, initialWorkspaceState, now);
      await eventStore.append([appendTo(store.fresh('workspace', workspaceSid), workspaceEvents, {})]);
      const workspace = await store.load('workspace', workspaceSid);
      const workerSid = newSid('WK');
      const [stored] = await eventStore.append([appendTo(store.fresh('worker', workerSid), decideWorker({ type: 'CreateWorker', workerSid, friendlyName: 'ann', attributes: {}, newSid }, initialWorkerState, workspace.state, now), {})]);
      return { workspace, workerSid, stored };
    };
    /** Runs `run` as the handler of a record of stream `key`, in a batch. */
    const inBatch = async <T>(key: string | null, run: () => Promise<T>): Promise<T> => {
      let result: T | undefined;
      await decideBatch([{ key, handle: async () => void (result = await run()) }], { commit: async () => [] });
      return result as T;
    };

    it('decides on a followed stream from the events it received, without reading it, and such a state equals a fold', async () => {
      const store = new AggregateStore(eventStore);
      const { workerSid, stored } = await createWorker(store);
      store.observe(stored);
      const reads = watchReads();

      const inside = await inBatch(`worker:${workerSid}`, () => store.load('worker', workerSid));

      expect(reads.streams()).toEqual([]);
      // The same state, for the handler of another stream's record, is read: only a record's own stream is followed up to it.
      await inBatch('task:other', () => store.load('worker', workerSid));
      expect(reads.streams()).toHaveLength(1);
      reads.restore();
      expect(inside.version).toBe(1);
      expect(inside.state).toEqual((await new AggregateStore(eventStore).load('worker', workerSid)).state);
    });

    it('reads a stream it does not follow, and configuration always, even in a batch', async () => {
      const store = new AggregateStore(eventStore);
      const { workerSid, workspace } = await createWorker(store);
      const reads = watchReads();

      await inBatch(`worker:${workerSid}`, async () => {
        await store.load('worker', workerSid);
        await store.load('workspace', workspace.state.workspaceSid);
      });

      expect(reads.streams()).toEqual([`worker:${workerSid}`, `workspace:${workspace.state.workspaceSid}`]);
      reads.restore();
    });

    it('remembers what a batch committed on another partition\'s stream, so the event coming back needs no read', async () => {
      const store = new AggregateStore(eventStore);
      const { workerSid, workspace } = await createWorker(store);
      const fresh = new AggregateStore(eventStore);
      let committed: Awaited<ReturnType<typeof eventStore.appendBatch>> = [];
      const commit = {
        commit: async (decisions: Parameters<typeof eventStore.appendBatch>[0]) => (committed = await eventStore.appendBatch(decisions)),
        committed: store.acceptBatch,
      };
      await decideBatch([{ key: 'task:someone', handle: async () => {
        const worker = await store.load('worker', workerSid);
        await DecisionBatch.current()!.collect({ appends: [appendTo(worker, decideWorker({ type: 'UpdateWorker', attributes: { level: 4 } }, worker.state, workspace.state, now), {})] }, store.evolvePending);
      } }], commit);
      const [event] = (committed[0] as { events: Parameters<AggregateStore['observe']>[0][] }).events;
      store.observe(event);

      const reads = watchReads();
      const loaded = await inBatch(`worker:${workerSid}`, () => store.load('worker', workerSid));
      expect(reads.streams()).toEqual([]);
      reads.restore();
      expect(loaded.version).toBe(2);
      expect(loaded.state).toEqual((await fresh.load('worker', workerSid)).state);
    });

    it('drops its copy at a gap in what it received, and reads again', async () => {
      const store = new AggregateStore(eventStore);
      const { workerSid, stored, workspace } = await createWorker(store);
      store.observe(stored);
      const first = await store.load('worker', workerSid);
      const available = Object.values(workspace.state.activities).find((a) => a.available)!.activitySid;
      await eventStore.append([appendTo(first, decideWorker({ type: 'UpdateWorker', activitySid: available, attributes: {} }, first.state, workspace.state, now), {})]);
      const second = await new AggregateStore(eventStore).load('worker', workerSid);
      const written = await eventStore.append([appendTo(second, decideWorker({ type: 'UpdateWorker', attributes: { level: 9 } }, second.state, workspace.state, now), {})]);
      const third = written[written.length - 1];

      store.observe(third);
      const reads = watchReads();
      const loaded = await inBatch(`worker:${workerSid}`, () => store.load('worker', workerSid));

      expect(reads.streams()).toHaveLength(1);
      reads.restore();
      expect(loaded.version).toBe(third.streamVersion);
      expect(loaded.state).toMatchObject({ attributes: { level: 9 } });
    });
  });
});
