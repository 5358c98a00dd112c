import { migrateSchema, withTransaction, type StoredEvent } from '@taskrouter/event-store';
import { testDatabaseUrl, uniqueName } from '@taskrouter/testing';
import { Pool } from 'pg';
import { readModelMigrations } from '../read-model-migrations';
import { wholeReadModel } from '../test-support/whole-read-model';
import { StatisticsQueries } from './statistics-queries';
import { statisticsShard } from './statistics-shard';

const sid = (prefix: string, n: number) => prefix + n.toString(16).padStart(32, '0');
const WS = sid('WS', 7);
const WF = sid('WW', 7);
const Q = sid('WQ', 7);
const AT = '2026-03-10T09:00:10.000Z';

/** A task created and routed into Q, both in the same minute as every other task's. */
function routedTask(taskSid: string): StoredEvent[] {
  const event = (version: number, type: string, data: Record<string, unknown>): StoredEvent => ({
    position: '1', transactionId: '1', streamId: `task:${taskSid}`, streamVersion: version, type, schemaVersion: 1, metadata: {}, recordedAt: AT,
    data: { workspaceSid: WS, taskSid, at: AT, ...data },
  });
  return [
    event(1, 'TaskCreated', { workflowSid: WF, attributes: {}, priority: 0, taskChannelSid: sid('TC', 1), taskChannelUniqueName: 'voice', timeout: 3600 }),
    event(2, 'TaskRouted', {
      workflowSid: WF, step: { filterIndex: 0, targetIndex: 0 }, filterName: 'f', queueSid: Q, previousQueueSid: null, priority: 0, targetTimeout: null,
      explanation: [], triggerVersion: 1,
    }),
  ];
}

describe('the task statistics buckets on the append path', () => {
  const pool = new Pool({ connectionString: testDatabaseUrl(), max: 4 });
  const schema = uniqueName('stats_shards');

  beforeAll(async () => {
    await pool.query(`CREATE SCHEMA "${schema}"`);
    await migrateSchema(pool, schema, readModelMigrations);
  });
  afterAll(async () => {
    await pool.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
    await pool.end();
  });

  it('shard the workspace, workflow and queue rows by task: two appends of one workspace in one minute do not wait for each other', async () => {
    const first = sid('WT', 1);
    let n = 2;
    while (statisticsShard(sid('WT', n)) === statisticsShard(first)) n++;
    const second = sid('WT', n);
    const projectBatch = wholeReadModel(schema);

    // The first append holds its transaction open; the second, on another task, must commit without waiting for its row locks.
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    let projected!: () => void;
    const firstProjected = new Promise<void>((resolve) => (projected = resolve));
    const firstAppend = withTransaction(pool, async (tx) => {
      await projectBatch(tx, routedTask(first));
      projected();
      await held;
    });
    await firstProjected;
    try {
      await withTransaction(pool, async (tx) => {
        await tx.query(`SET LOCAL lock_timeout = '5s'`);
        await projectBatch(tx, routedTask(second));
      });
    } finally {
      release();
      await firstAppend;
    }

    const { rows } = await pool.query(`SELECT scope, shard FROM "${schema}".rm_stats_minutes ORDER BY scope, shard`);
    const shards = [statisticsShard(first), statisticsShard(second)].sort((a, b) => a - b);
    expect(rows).toEqual(['queue', 'workflow', 'workspace'].flatMap((scope) => shards.map((shard) => ({ scope, shard }))));
    // The queries sum over the shards.
    const queries = new StatisticsQueries(pool, schema);
    const window = { start: new Date('2026-03-10T09:00:00.000Z'), end: new Date('2026-03-10T09:01:00.000Z') };
    expect((await queries.cumulativeCounts(WS, { scope: 'workspace', sids: [WS] }, window)).get(WS)).toMatchObject({ tasksCreated: 2 });
    expect((await queries.cumulativeCounts(WS, { scope: 'queue', sids: [Q] }, window)).get(Q)).toMatchObject({ tasksEntered: 2 });
    expect((await queries.cumulativeCounts(WS, { scope: 'workflow', sids: [WF] }, window)).get(WF)).toMatchObject({ tasksCreated: 2 });
  });

  it('refuses SplitByWaitTime for a scope that keeps no waits', async () => {
    const queries = new StatisticsQueries(pool, schema);
    const window = { start: new Date('2026-03-10T09:00:00.000Z'), end: new Date('2026-03-10T09:01:00.000Z') };
    await expect(queries.waitSplits(WS, { scope: 'worker', sids: [sid('WK', 1)] }, window, [10])).rejects.toThrow('SplitByWaitTime is not kept per worker');
  });
});
