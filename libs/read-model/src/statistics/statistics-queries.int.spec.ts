import { migrateSchema, withTransaction, type StoredEvent } from '@taskrouter/event-store';
import { testDatabaseUrl, uniqueName } from '@taskrouter/testing';
import { Pool } from 'pg';
import { readModelMigrations } from '../read-model-migrations';
import { wholeReadModel } from '../test-support/whole-read-model';
import { StatisticsQueries } from './statistics-queries';

const sid = (prefix: string, n: number) => prefix + n.toString(16).padStart(32, '0');
const WS = sid('WS', 1);
const [Q1, Q2] = [sid('WQ', 1), sid('WQ', 2)];
const WF = sid('WW', 1);
const [AVAILABLE, OFFLINE] = [sid('WA', 1), sid('WA', 2)];
const [ANA, BEN] = [sid('WK', 1), sid('WK', 2)];
const T0 = Date.parse('2026-03-10T09:00:00.000Z');
const at = (seconds: number) => new Date(T0 + seconds * 1000).toISOString();

/** A log whose statistics are worked out by hand below; events of one stream numbered in order. */
function scenario(): StoredEvent[] {
  const versions = new Map<string, number>();
  const events: StoredEvent[] = [];
  const add = (stream: string, type: string, data: Record<string, unknown>) => {
    const version = (versions.get(stream) ?? 0) + 1;
    versions.set(stream, version);
    events.push({ position: String(events.length + 1), transactionId: '1', streamId: stream, streamVersion: version, type, schemaVersion: 1, data, metadata: {}, recordedAt: at(0) });
  };
  const activity = (activitySid: string, name: string, available: boolean) => ({ sid: activitySid, name, available });
  add('ws', 'WorkspaceCreated', {
    workspaceSid: WS, accountSid: sid('AC', 1), friendlyName: 'w', defaultActivitySid: OFFLINE, timeoutActivitySid: OFFLINE, eventCallbackUrl: null,
    eventsFilter: null, multiTaskEnabled: true, prioritizeQueueOrder: 'FIFO', at: at(0),
  });
  add('ws', 'ActivityCreated', { workspaceSid: WS, activitySid: OFFLINE, friendlyName: 'Offline', available: false, at: at(0) });
  add('ws', 'ActivityCreated', { workspaceSid: WS, activitySid: AVAILABLE, friendlyName: 'Available', available: true, at: at(1) });
  const channel = (n: number, uniqueName: string) => ({ workerChannelSid: sid('WC', n), taskChannelSid: sid('TC', n), uniqueName, capacity: 1, available: true });
  add(ANA, 'WorkerCreated', { workspaceSid: WS, workerSid: ANA, friendlyName: 'Ana', attributes: {}, activity: activity(AVAILABLE, 'Available', true), channels: [channel(1, 'voice')], at: at(0) });
  add(BEN, 'WorkerCreated', { workspaceSid: WS, workerSid: BEN, friendlyName: 'Ben', attributes: {}, activity: activity(OFFLINE, 'Offline', false), channels: [channel(2, 'voice')], at: at(0) });
  const task = (n: number, ch: string, createdAt: number) => {
    add(sid('WT', n), 'TaskCreated', {
      workspaceSid: WS, taskSid: sid('WT', n), workflowSid: WF, attributes: {}, priority: n, taskChannelSid: sid('TC', 9), taskChannelUniqueName: ch, timeout: 3600, at: at(createdAt),
    });
  };
  const routed = (n: number, queue: string, previous: string | null, seconds: number) => add(sid('WT', n), 'TaskRouted', {
    workspaceSid: WS, taskSid: sid('WT', n), workflowSid: WF, step: { filterIndex: 0, targetIndex: 0 }, filterName: 'f', queueSid: queue, previousQueueSid: previous,
    priority: n, targetTimeout: null, explanation: [], triggerVersion: 1, at: at(seconds),
  });
  const reservation = (n: number, r: number, worker: string, queue: string, seconds: number) => add(sid('WT', n), 'TaskReserved', {
    workspaceSid: WS, taskSid: sid('WT', n), reservationSid: sid('WR', r), workerSid: worker, workerName: 'x', queueSid: queue, reservationTimeout: 120, at: at(seconds),
  });
  const outcome = (n: number, r: number, worker: string, type: string, seconds: number) =>
    add(sid('WT', n), type, { workspaceSid: WS, taskSid: sid('WT', n), reservationSid: sid('WR', r), workerSid: worker, reason: 'r', at: at(seconds) });

  // Task 1 (voice): Q1 at 10 s, reserved to Ana at 20 s, accepted at 70 s (waited 70 s, 60 s in Q1), completed.
  task(1, 'voice', 0); routed(1, Q1, null, 10); reservation(1, 1, ANA, Q1, 20); outcome(1, 1, ANA, 'ReservationAccepted', 70);
  add(sid('WT', 1), 'TaskCompleted', { workspaceSid: WS, taskSid: sid('WT', 1), reservationSid: sid('WR', 1), workerSid: ANA, reason: 'done', at: at(100) });
  // Task 2 (chat): Q1, then moved to Q2; reserved to Ben in Q2 and rejected; canceled at 200 s.
  task(2, 'chat', 30); routed(2, Q1, null, 31); routed(2, Q2, Q1, 90); reservation(2, 2, BEN, Q2, 95); outcome(2, 2, BEN, 'ReservationRejected', 96);
  add(sid('WT', 2), 'TaskCanceled', { workspaceSid: WS, taskSid: sid('WT', 2), reason: 'gone', reservationSid: null, workerSid: null, cause: 'api', at: at(200) });
  // Task 3 (voice): waits in Q1 since 130 s.
  task(3, 'voice', 120); routed(3, Q1, null, 130);
  // Ana goes Offline at 300 s after 300 s Available.
  add(ANA, 'WorkerActivityChanged', {
    workspaceSid: WS, workerSid: ANA, activity: activity(OFFLINE, 'Offline', false), previousActivity: activity(AVAILABLE, 'Available', true), cause: 'api', at: at(300),
  });
  return events;
}

describe('the statistics queries over the projected log', () => {
  const pool = new Pool({ connectionString: testDatabaseUrl(), max: 2 });
  const schemas = { oneBatch: uniqueName('stats_batch'), oneByOne: uniqueName('stats_single') };
  const window = { start: new Date(T0), end: new Date(T0 + 400_000) };
  const now = new Date(T0 + 400_000);

  beforeAll(async () => {
    for (const [way, schema] of Object.entries(schemas)) {
      await pool.query(`CREATE SCHEMA "${schema}"`);
      await migrateSchema(pool, schema, readModelMigrations);
      const projectBatch = wholeReadModel(schema);
      const events = scenario();
      await withTransaction(pool, async (tx) => {
        for (const batch of way === 'oneBatch' ? [events] : events.map((e) => [e])) await projectBatch(tx, batch);
      });
    }
  });
  afterAll(async () => {
    for (const schema of Object.values(schemas)) await pool.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
    await pool.end();
  });

  it.each(Object.keys(schemas))('real time (%s): live tasks by status and priority, the longest waiting, workers by activity', async (way) => {
    const queries = new StatisticsQueries(pool, schemas[way as keyof typeof schemas]);
    const whole = (await queries.taskFigures(WS, {}, now)).get('')!;
    expect(whole).toEqual({ tasksByStatus: { pending: 1 }, tasksByPriority: { 3: 1 }, totalTasks: 1, longestWaiting: { sid: sid('WT', 3), ageSeconds: 280 }, longestInQueue: { sid: sid('WT', 3), ageSeconds: 270 } });
    const perQueue = await queries.taskFigures(WS, { queueSids: [Q1, Q2] }, now);
    expect(perQueue.get(Q1)?.totalTasks).toBe(1);
    expect(perQueue.get(Q2)).toMatchObject({ totalTasks: 0, longestWaiting: null });
    expect((await queries.taskFigures(WS, { channel: 'chat' }, now)).get('')?.totalTasks).toBe(0);
    expect(await queries.activityCounts(WS)).toEqual([{ sid: OFFLINE, friendlyName: 'Offline', workers: 2 }, { sid: AVAILABLE, friendlyName: 'Available', workers: 0 }]);
    expect((await queries.activityCounts(WS, { workerSids: [BEN] }))[0].workers).toBe(1);
  });

  it.each(Object.keys(schemas))('cumulative (%s): the counters, waits and their split, per scope and channel', async (way) => {
    const queries = new StatisticsQueries(pool, schemas[way as keyof typeof schemas]);
    const workspace = (await queries.cumulativeCounts(WS, { scope: 'workspace', sids: [WS] }, window)).get(WS)!;
    expect(workspace).toMatchObject({
      tasksCreated: 3, tasksMoved: 1, tasksCompleted: 1, tasksCanceled: 1, reservationsCreated: 2, reservationsAccepted: 1, reservationsRejected: 1,
      untilAccepted: { count: 1, totalMs: 70_000, minMs: 70_000, maxMs: 70_000 }, untilCanceled: { count: 1, totalMs: 170_000, minMs: 170_000, maxMs: 170_000 },
      inQueueUntilAccepted: { count: 1, totalMs: 60_000 },
    });
    const queues = await queries.cumulativeCounts(WS, { scope: 'queue', sids: [Q1, Q2] }, window);
    expect(queues.get(Q1)).toMatchObject({ tasksEntered: 3, tasksMoved: 1, reservationsCreated: 1, reservationsAccepted: 1, tasksCanceled: 0 });
    expect(queues.get(Q2)).toMatchObject({ tasksEntered: 1, tasksMoved: 0, reservationsCreated: 1, reservationsRejected: 1, tasksCanceled: 1 });
    const chat = (await queries.cumulativeCounts(WS, { scope: 'workspace', sids: [WS], channel: 'chat' }, window)).get(WS)!;
    expect(chat).toMatchObject({ tasksCreated: 1, reservationsAccepted: 0, tasksCanceled: 1 });
    expect((await queries.cumulativeCounts(WS, { scope: 'worker', sids: [ANA, BEN] }, window)).get(BEN)).toMatchObject({ reservationsCreated: 1, reservationsRejected: 1 });
    expect((await queries.cumulativeCounts(WS, { scope: 'workflow', sids: [WF] }, window)).get(WF)).toMatchObject({ tasksCreated: 3 });

    // The minute buckets: a window that ends in the first minute sees only what happened in it.
    const firstMinute = (await queries.cumulativeCounts(WS, { scope: 'workspace', sids: [WS] }, { start: new Date(T0), end: new Date(T0 + 59_000) })).get(WS)!;
    expect(firstMinute).toMatchObject({ tasksCreated: 2, reservationsCreated: 1, reservationsAccepted: 0 });

    const splits = (await queries.waitSplits(WS, { scope: 'workspace', sids: [WS] }, window, [60, 170])).get(WS);
    expect(splits).toEqual([
      { threshold: 60, below: { tasksCanceled: 0, reservationsAccepted: 0 }, above: { tasksCanceled: 1, reservationsAccepted: 1 } },
      { threshold: 170, below: { tasksCanceled: 1, reservationsAccepted: 1 }, above: { tasksCanceled: 0, reservationsAccepted: 0 } },
    ]);
    // In a queue the wait counts from entering it: 60 s for the accepted task.
    expect((await queries.waitSplits(WS, { scope: 'queue', sids: [Q1] }, window, [60])).get(Q1)?.[0].below.reservationsAccepted).toBe(1);
  });

  it.each(Object.keys(schemas))('activity durations (%s): finished stays and the ones going on, per worker then across them', async (way) => {
    const queries = new StatisticsQueries(pool, schemas[way as keyof typeof schemas]);
    const durations = await queries.activityDurations(WS, window, now);
    // Ana: Available 0..300 s, Offline 300..400 s; Ben: Offline 0..400 s.
    expect(durations).toEqual([
      { sid: OFFLINE, friendlyName: 'Offline', workers: 2, totalSeconds: 500, minSeconds: 100, maxSeconds: 400 },
      { sid: AVAILABLE, friendlyName: 'Available', workers: 1, totalSeconds: 300, minSeconds: 300, maxSeconds: 300 },
    ]);
    const clipped = await queries.activityDurations(WS, { start: new Date(T0 + 240_000), end: new Date(T0 + 360_000) }, now, [ANA]);
    expect(clipped.map((d) => d.totalSeconds)).toEqual([60, 60]);
    // Measured over the window's minutes, as its counts are: [250 s, 350 s] covers the minute from 300 s.
    const withinMinutes = await queries.activityDurations(WS, { start: new Date(T0 + 250_000), end: new Date(T0 + 350_000) }, now, [ANA]);
    expect(withinMinutes.map((d) => d.totalSeconds)).toEqual([60, 0]);
  });

  it.each(Object.keys(schemas))('windows (%s): half-open, adjacent ones share no minute, one that ends now counts the minute in progress', async (way) => {
    const queries = new StatisticsQueries(pool, schemas[way as keyof typeof schemas]);
    const span = (from: number, to: number) => ({ start: new Date(T0 + from * 1000), end: new Date(T0 + to * 1000) });
    const counts = async (from: number, to: number) => (await queries.cumulativeCounts(WS, { scope: 'workspace', sids: [WS] }, span(from, to))).get(WS)!;
    const splits = async (from: number, to: number) => (await queries.waitSplits(WS, { scope: 'workspace', sids: [WS] }, span(from, to), [60])).get(WS)![0];
    const durations = async (from: number, to: number) => (await queries.activityDurations(WS, span(from, to), now)).map((d) => d.totalSeconds);

    // Created at 0 s, 30 s and 120 s; reserved at 20 s and 95 s; accepted at 70 s (a wait of 70 s); canceled at 200 s.
    const [first, second, both] = [await counts(0, 60), await counts(60, 120), await counts(0, 120)];
    expect(first).toMatchObject({ tasksCreated: 2, reservationsCreated: 1, reservationsAccepted: 0 });
    expect(second).toMatchObject({ tasksCreated: 0, reservationsCreated: 1, reservationsAccepted: 1, untilAccepted: { count: 1, totalMs: 70_000 } });
    expect(both).toMatchObject({ tasksCreated: 2, reservationsCreated: 2, reservationsAccepted: 1 });
    expect((await counts(120, 180)).tasksCreated).toBe(1);
    expect((await splits(0, 60)).above.reservationsAccepted).toBe(0);
    expect((await splits(60, 120)).above.reservationsAccepted).toBe(1);
    expect((await splits(120, 180)).above.reservationsAccepted).toBe(0);
    // Workers' time splits exactly between adjacent windows: Ana Available, Ben Offline.
    expect(await durations(60, 120)).toEqual([60, 60]);
    const [a, b, ab] = [await durations(0, 60), await durations(60, 120), await durations(0, 120)];
    expect(a.map((n, i) => n + b[i])).toEqual(ab);

    // The cancel at 200 s: a window that ends now (230 s) counts its minute, one that ends at 180 s does not.
    expect((await counts(170, 230)).tasksCanceled).toBe(1);
    expect((await splits(170, 230)).above.tasksCanceled).toBe(1);
    expect((await counts(120, 180)).tasksCanceled).toBe(0);
    expect((await splits(120, 180)).above.tasksCanceled).toBe(0);
  });
});
