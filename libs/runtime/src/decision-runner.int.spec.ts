import { decideWorker, decideWorkspace, DomainError, initialWorkerState, initialWorkspaceState } from '@taskrouter/domain';
import { PostgresEventStore } from '@taskrouter/event-store';
import { testDatabaseUrl, uniqueName } from '@taskrouter/testing';
import { Pool } from 'pg';
import { AggregateStore, appendTo } from './aggregate-store';
import { runDecision } from './decision-runner';

describe('runDecision on cached states, against the real Postgres', () => {
  const schema = uniqueName('decisions');
  const pool = new Pool({ connectionString: testDatabaseUrl() });
  const eventStore = new PostgresEventStore(pool, { schema });
  let sids = 0;
  const newSid = (prefix: string) => `${prefix}${String(++sids).padStart(32, '0')}`;
  const now = new Date('2026-01-01T00:00:00.000Z');
  const append = (appends: Parameters<typeof eventStore.append>[0]) => eventStore.append(appends);

  beforeAll(() => eventStore.migrate());
  afterAll(async () => {
    await pool.query(`DROP SCHEMA "${schema}" CASCADE`);
    await pool.end();
  });

  /** A workspace and a worker, created through `store` (so it caches both). */
  const setUp = async (store: AggregateStore) => {
    const workspaceSid = newSid('WS');
    const workerSid = newSid('WK');
    await runDecision(async () => ({
      appends: [appendTo(store.fresh('workspace', workspaceSid), decideWorkspace({ type: 'CreateWorkspace', workspaceSid, accountSid: newSid('AC'), friendlyName: 'before', newSid }, initialWorkspaceState, now), {})],
      result: undefined,
    }), append, undefined, store);
    await runDecision(async () => {
      const workspace = await store.load('workspace', workspaceSid);
      const worker = store.fresh('worker', workerSid);
      return { appends: [appendTo(worker, decideWorker({ type: 'CreateWorker', workerSid, friendlyName: 'ann', attributes: {}, newSid }, initialWorkerState, workspace.state, now), {})], result: undefined };
    }, append, undefined, store);
    return { workspaceSid, workerSid };
  };

  /** Sets the worker's attributes to `attributes`, reading the workspace; records the workspace name each attempt saw. */
  const updateWorker = (store: AggregateStore, ids: { workspaceSid: string; workerSid: string }, attributes: Record<string, unknown>, seen: string[] = [], require?: (attrs: Record<string, unknown>) => void) =>
    runDecision(async () => {
      const [workspace, worker] = await Promise.all([store.load('workspace', ids.workspaceSid), store.load('worker', ids.workerSid)]);
      seen.push(workspace.state.friendlyName);
      require?.(worker.state.attributes as Record<string, unknown>);
      return { appends: [appendTo(worker, decideWorker({ type: 'UpdateWorker', attributes }, worker.state, workspace.state, now), {})], result: worker.version };
    }, append, undefined, store);

  it('decides on the states it committed itself without reading them, and keeps them current', async () => {
    const store = new AggregateStore(eventStore);
    const ids = await setUp(store);
    const reads = jest.spyOn(eventStore, 'readStreams');
    expect(await updateWorker(store, ids, { level: 1 })).toBe(1);
    expect(await updateWorker(store, ids, { level: 2 })).toBe(2);
    expect(reads).not.toHaveBeenCalled();
    reads.mockRestore();
    // The same decision on a store that has nothing cached reads both streams, in one query.
    const cold = new AggregateStore(eventStore);
    const coldReads = jest.spyOn(eventStore, 'readStreams');
    expect(await updateWorker(cold, ids, { level: 3 })).toBe(3);
    expect(coldReads.mock.calls.map(([requests]) => requests.map((r) => r.streamId))).toEqual([[`workspace:${ids.workspaceSid}`, `worker:${ids.workerSid}`]]);
    coldReads.mockRestore();
    const fresh = await new AggregateStore(eventStore).load('worker', ids.workerSid);
    expect(fresh.version).toBe(4);
    expect(fresh.state.attributes).toEqual({ level: 3 });
  });

  it('catches a configuration change committed elsewhere before the decision, and decides again on it', async () => {
    const here = new AggregateStore(eventStore);
    const ids = await setUp(here);
    const elsewhere = new AggregateStore(eventStore);
    await runDecision(async () => {
      const workspace = await elsewhere.load('workspace', ids.workspaceSid);
      return { appends: [appendTo(workspace, decideWorkspace({ type: 'UpdateWorkspace', friendlyName: 'after' }, workspace.state, now), {})], result: undefined };
    }, append, undefined, elsewhere);

    const seen: string[] = [];
    await updateWorker(here, ids, { level: 5 }, seen);
    // The cached workspace was stale: its check lost, and the decision that committed read the change.
    expect(seen).toEqual(['before', 'after']);
    expect((await new AggregateStore(eventStore).load('worker', ids.workerSid)).state.attributes).toEqual({ level: 5 });
  });

  it('checks a configuration stream it has just read, not only cached ones: a change committed before the append is decided on', async () => {
    const setup = new AggregateStore(eventStore);
    const ids = await setUp(setup);
    const cold = new AggregateStore(eventStore);
    const seen: string[] = [];
    let changed = false;
    await runDecision(async () => {
      const [workspace, worker] = await Promise.all([cold.load('workspace', ids.workspaceSid), cold.load('worker', ids.workerSid)]);
      seen.push(workspace.state.friendlyName);
      if (!changed) {
        changed = true;
        const other = new AggregateStore(eventStore);
        const current = await other.load('workspace', ids.workspaceSid);
        await eventStore.append([appendTo(current, decideWorkspace({ type: 'UpdateWorkspace', friendlyName: 'meanwhile' }, current.state, now), {})]);
      }
      return { appends: [appendTo(worker, decideWorker({ type: 'UpdateWorker', attributes: { n: 1 } }, worker.state, workspace.state, now), {})], result: undefined };
    }, append, undefined, cold);
    expect(seen).toEqual(['before', 'meanwhile']);
  });

  it('takes a refusal decided on a stale cached state to the log before answering it', async () => {
    const here = new AggregateStore(eventStore);
    const ids = await setUp(here);
    const elsewhere = new AggregateStore(eventStore);
    await updateWorker(elsewhere, ids, { ready: true });
    const needsReady = (attrs: Record<string, unknown>) => {
      if (attrs.ready !== true) throw new DomainError('invalid', 'The worker is not ready');
    };

    await expect(updateWorker(here, ids, { ready: true, level: 1 }, [], needsReady)).resolves.toBe(2);
    // A refusal the log confirms is answered as it is, at the cost of one query of the heads and no read.
    const reads = jest.spyOn(eventStore, 'readStreams');
    const heads = jest.spyOn(eventStore, 'streamVersions');
    await expect(updateWorker(here, ids, { level: 1 }, [], () => needsReady({}))).rejects.toThrow('The worker is not ready');
    expect(reads).not.toHaveBeenCalled();
    expect(heads).toHaveBeenCalledTimes(1);
    reads.mockRestore();
    heads.mockRestore();
  });
});
