import { migrateSchema, withTransaction, type StoredEvent } from '@taskrouter/event-store';
import { RealisticEventLog, testDatabaseUrl, uniqueName, type RealisticLogOptions } from '@taskrouter/testing';
import fc from 'fast-check';
import { Pool } from 'pg';
import { READ_MODEL_TABLES, readModelMigrations } from './read-model-migrations';
import { wholeReadModel } from './test-support/whole-read-model';
import { readModelSnapshot } from './read-model-rebuild';

/** A log as the store would hand it to the projector: numbered, versioned, data as jsonb gives it back. */
function storedLog(options: RealisticLogOptions, decisions: number): StoredEvent[][] {
  const log = new RealisticEventLog(options);
  const calls: StoredEvent[][] = [];
  let position = 0;
  for (let d = 0; d < decisions; d++) {
    const call: StoredEvent[] = [];
    for (const append of log.next()) {
      append.events.forEach((event, i) => call.push({
        position: String(++position), transactionId: String(1000 + d), streamId: append.streamId,
        streamVersion: (append.expectedVersion as number) + i + 1, type: event.type, schemaVersion: event.schemaVersion ?? 1,
        data: JSON.parse(JSON.stringify(event.data)), metadata: event.metadata ?? {}, recordedAt: new Date(0).toISOString(),
      }));
    }
    calls.push(call);
  }
  return calls;
}

/** Cuts the log into consecutive batches of the given sizes, taken in turn until it is used up. */
function batchesOf(events: StoredEvent[], sizes: number[]): StoredEvent[][] {
  const batches: StoredEvent[][] = [];
  for (let from = 0, i = 0; from < events.length; i++) {
    const size = sizes[i % sizes.length];
    batches.push(events.slice(from, from + size));
    from += size;
  }
  return batches;
}

/**
 * The set-based projectors (the current state's and the history's) must leave exactly the tables
 * that projecting one event at a time leaves, however the log is cut into batches: per event, per append (the live path), as one
 * batch, and cut at random points (replay pages, where a row's changes straddle batches and
 * start from rows an earlier batch wrote).
 */
describe('set-based projection equals projection one event at a time', () => {
  const pool = new Pool({ connectionString: testDatabaseUrl(), max: 4 });
  const ways = ['one_by_one', 'per_append', 'one_batch', 'random_cuts'] as const;
  const schemas = Object.fromEntries(ways.map((way) => [way, uniqueName(`rm_eq_${way}`)])) as Record<(typeof ways)[number], string>;

  beforeAll(async () => {
    for (const schema of Object.values(schemas)) {
      await pool.query(`CREATE SCHEMA "${schema}"`);
      await migrateSchema(pool, schema, readModelMigrations);
    }
  });
  afterAll(async () => {
    for (const schema of Object.values(schemas)) await pool.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
    await pool.end();
  });

  async function project(schema: string, batches: StoredEvent[][]): Promise<Record<string, unknown[]>> {
    await pool.query(`TRUNCATE ${READ_MODEL_TABLES.map((t) => `"${schema}".${t}`).join(', ')}`);
    const projectBatch = wholeReadModel(schema);
    await withTransaction(pool, async (tx) => {
      for (const batch of batches) await projectBatch(tx, batch);
    });
    return readModelSnapshot(pool, schema, READ_MODEL_TABLES);
  }

  async function expectSameTables(calls: StoredEvent[][], batchSizes: number[]) {
    const events = calls.flat();
    const oneByOne = await project(schemas.one_by_one, events.map((e) => [e]));
    expect(await project(schemas.per_append, calls)).toEqual(oneByOne);
    expect(await project(schemas.one_batch, [events])).toEqual(oneByOne);
    expect(await project(schemas.random_cuts, batchesOf(events, batchSizes))).toEqual(oneByOne);
    return oneByOne;
  }

  it('for randomized realistic logs, with few rows touched by many events in each batch', async () => {
    const scenario = fc.record({
      seed: fc.integer(),
      workspaces: fc.integer({ min: 1, max: 2 }),
      workersPerWorkspace: fc.integer({ min: 1, max: 8 }),
      tasksInFlight: fc.integer({ min: 1, max: 12 }),
      queuesPerWorkspace: fc.integer({ min: 1, max: 4 }),
      variety: fc.double({ min: 0, max: 0.6, noNaN: true }),
      decisions: fc.integer({ min: 20, max: 600 }),
      batchSizes: fc.array(fc.integer({ min: 1, max: 400 }), { minLength: 1, maxLength: 8 }),
    });
    await fc.assert(fc.asyncProperty(scenario, async ({ decisions, batchSizes, ...options }) => {
      await expectSameTables(storedLog(options, decisions), batchSizes);
    }), { numRuns: 25 });
  });

  it('for a longer log whose tables end up holding every kind of row', async () => {
    const calls = storedLog({ seed: 11, workspaces: 2, workersPerWorkspace: 6, tasksInFlight: 10, queuesPerWorkspace: 3, variety: 0.3 }, 3_000);
    const types = new Set(calls.flat().map((e) => e.type));
    // The log must exercise every event the read model shows, or the equality proves little.
    for (const type of [
      'WorkspaceCreated', 'WorkspaceUpdated', 'ActivityCreated', 'TaskChannelCreated', 'TaskQueueCreated', 'TaskQueueUpdated', 'TaskQueueDeleted',
      'WorkflowCreated', 'WorkflowUpdated', 'WorkflowDeleted', 'WorkerCreated', 'WorkerChannelAdded', 'WorkerActivityChanged', 'WorkerUpdated',
      'WorkerChannelUpdated', 'WorkerReserved', 'WorkerReservationAccepted', 'WorkerReservationEnded', 'WorkerDeleted', 'TaskCreated', 'TaskRouted',
      'TaskReserved', 'ReservationAccepted', 'ReservationRejected', 'ReservationTimedOut', 'ReservationCanceled', 'TaskTargetTimedOut',
      'TaskWrappingUp', 'TaskCompleted', 'TaskCanceled', 'TaskUpdated',
    ]) expect(types).toContain(type);
    const tables = await expectSameTables(calls, [977, 1, 3, 250, 4_000]);
    for (const table of READ_MODEL_TABLES) expect(tables[table].length).toBeGreaterThan(0);
    const channels = tables.rm_worker_channels as Array<{ assigned_tasks: number; reserved: number }>;
    expect(channels.some((c) => c.assigned_tasks > 0 || c.reserved > 0)).toBe(true);
  });
});
