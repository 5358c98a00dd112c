import { decideWorker, decideWorkspace, initialWorkerState, initialWorkspaceState } from '@taskrouter/domain';
import { PostgresEventStore } from '@taskrouter/event-store';
import { testDatabaseUrl, uniqueName } from '@taskrouter/testing';
import { Pool } from 'pg';
import { AggregateStore, appendTo } from './aggregate-store';

describe('AggregateStore against the real Postgres', () => {
  const schema = uniqueName('aggregates');
  const pool = new Pool({ connectionString: testDatabaseUrl() });
  const eventStore = new PostgresEventStore(pool, { schema });
  let sids = 0;
  const newSid = (prefix: string) => `${prefix}${String(++sids).padStart(32, '0')}`;
  const now = new Date('2026-01-01T00:00:00.000Z');

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
});
