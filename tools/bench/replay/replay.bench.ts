import { loadavg } from 'node:os';
import { PostgresEventStore, migrateSchema, withTransaction, type GlobalCheckpoint, type StreamAppend } from '@taskrouter/event-store';
import { ReadModelProjector, readModelMigrations, rebuildReadModel, REBUILD_BATCH_SIZE, REBUILD_PAGE_SIZE } from '@taskrouter/read-model';
import { RealisticEventLog, testDatabaseUrl, uniqueName } from '@taskrouter/testing';
import { Pool } from 'pg';
import { reportProgress, saveBenchResults } from '../support/bench-results';
import { catchUpHistory } from '../support/catch-up-history';

/**
 * Replay against a plain read of the same log, in one run:
 *   node -r ./tools/register.js tools/bench/replay/replay.bench.ts [--quick]
 * Writes a realistic log (RealisticEventLog: workspaces, queues, workflows, 2,000 workers, tasks
 * created, routed, reserved, accepted, wrapped up, completed, and now and then everything else)
 * into a fresh schema with batched appends, projecting it as the services do; then reads the
 * whole log in one snapshot, page by page, as the rebuild does (`readAllInSnapshot`); then
 * runs the rebuild `npm run replay` runs (`rebuildReadModel`: project beside, verify against
 * the live tables, swap). The history (Events, statistics) is measured apart: its live
 * projector's catch-up over the whole log, and its own rebuild. 1,000,000 events, or 100,000 with --quick. The schema is dropped after.
 * Environment: BENCH_REPLAY_EVENTS overrides the event count, BENCH_KEEP=1 keeps the schema,
 * BENCH_REPLAY_THREADS=0/1 forces the replay's second thread off or on, BENCH_REPLAY_SCHEMA=<kept schema> measures the read and the replay again on a log kept before
 * (writing 1,000,000 events takes minutes; the replay's swap leaves a verified log as it was).
 */
const QUICK = process.argv.includes('--quick');
/** BENCH_REPLAY_THREADS=1 or 0 forces the replay's second thread on or off; by default the rebuild decides. */
const THREADS = process.env.BENCH_REPLAY_THREADS === undefined ? undefined : process.env.BENCH_REPLAY_THREADS === '1';
const EVENTS = Number(process.env.BENCH_REPLAY_EVENTS ?? (QUICK ? 100_000 : 1_000_000));
/**
 * Events per append call at most: the log's transactions are this large or smaller. Larger calls
 * do not write faster: the event store's stream-head statement grows with the square of the
 * streams in one call (1,000 streams: 120 ms).
 */
const EVENTS_PER_APPEND = 300;

async function main(): Promise<void> {
  const reused = process.env.BENCH_REPLAY_SCHEMA;
  const schema = reused ?? uniqueName('bench_replay');
  const pool = new Pool({ connectionString: testDatabaseUrl(), max: 4, application_name: 'replay-bench' });
  const store = new PostgresEventStore(pool, { schema });
  try {
    await store.migrate();
    await migrateSchema(pool, schema, readModelMigrations);

    const written = reused ? await keptLog(pool, schema) : await writeLog(store, new ReadModelProjector(schema));
    if (!reused) await pool.query(`VACUUM ANALYZE "${schema}".events`);
    // The history follows the log after the appends, as the running task-ingest's projector does: its catch-up over the whole log.
    const historyCatchUp = await catchUpHistory(pool, store);

    const read = await plainRead(pool, store);
    if (read.events !== written.events) throw new Error(`the plain read saw ${read.events} events, ${written.events} were written`);

    let projectedAt = 0;
    const replayCpu = process.cpuUsage();
    const rebuild = await rebuildReadModel(pool, store, {
      clock: () => performance.now(),
      threads: THREADS,
      onProgress: ({ events, elapsedMs }) => {
        projectedAt = elapsedMs;
        progress('replay', events, written.events, elapsedMs);
      },
    });
    endProgress();
    const replayCpuMicros = cpuMicros(replayCpu);
    if (!rebuild.swapped || rebuild.differences.length > 0) throw new Error(`the rebuild did not verify: ${JSON.stringify(rebuild.differences).slice(0, 2_000)}`);
    if (!rebuild.history.swapped || rebuild.history.differences.length > 0) {
      throw new Error(`the history's rebuild did not verify: ${JSON.stringify(rebuild.history.differences).slice(0, 2_000)}`);
    }

    const figures = {
      events: written.events,
      quick: QUICK,
      threads: THREADS ?? 'by log size',
      loadAverage: loadavg().map((l) => Math.round(l * 10) / 10),
      pageSize: REBUILD_PAGE_SIZE,
      batchSize: REBUILD_BATCH_SIZE,
      write: reused ? { keptSchema: schema } : { seconds: seconds(written.ms), eventsPerSecond: rate(written.events, written.ms), appendCalls: written.calls },
      // Node's CPU time (every thread) per event: steadier than wall time when the cores are shared.
      plainRead: { seconds: seconds(read.ms), eventsPerSecond: rate(read.events, read.ms), nodeCpuMicrosPerEvent: round2(read.cpuMicros / read.events) },
      replay: {
        projectSeconds: seconds(projectedAt), projectEventsPerSecond: rate(rebuild.events, projectedAt),
        totalSeconds: seconds(rebuild.elapsedMs), totalEventsPerSecond: rate(rebuild.events, rebuild.elapsedMs),
        verifyAndSwapSeconds: seconds(rebuild.elapsedMs - projectedAt), nodeCpuMicrosPerEvent: round2(replayCpuMicros / rebuild.events),
      },
      // The history (Events, statistics) is not the current state's replay: it follows the log on its own, with its own rebuild.
      history: {
        catchUpSeconds: seconds(historyCatchUp.ms), catchUpEventsPerSecond: rate(written.events, historyCatchUp.ms),
        rebuildSeconds: seconds(rebuild.history.elapsedMs), rebuildEventsPerSecond: rate(rebuild.history.events, rebuild.history.elapsedMs),
        rebuildEvents: rebuild.history.events,
      },
      ratio: {
        projectToPlainRead: round2(rate(rebuild.events, projectedAt) / rate(read.events, read.ms)),
        totalToPlainRead: round2(rate(rebuild.events, rebuild.elapsedMs) / rate(read.events, read.ms)),
      },
    };
    console.log(`replay benchmark, load ${loadavg().map((l) => l.toFixed(1)).join(' ')}, ${written.events.toLocaleString('en')} events${QUICK ? ' (--quick)' : ''}, pages of ${REBUILD_PAGE_SIZE.toLocaleString('en')}, batches of ${REBUILD_BATCH_SIZE.toLocaleString('en')}:`);
    if (reused) console.log(`  written before (BENCH_REPLAY_SCHEMA=${schema})`);
    else console.log(`  written (batched appends, projected live)  ${rate(written.events, written.ms).toLocaleString('en').padStart(9)} events/s  (${seconds(written.ms)} s)`);
    console.log(`  plain read (readAllInSnapshot pages)        ${figures.plainRead.eventsPerSecond.toLocaleString('en').padStart(9)} events/s  (${figures.plainRead.seconds} s)  Node ${figures.plainRead.nodeCpuMicrosPerEvent} µs/event`);
    console.log(`  replay: read + project beside               ${figures.replay.projectEventsPerSecond.toLocaleString('en').padStart(9)} events/s  (${figures.replay.projectSeconds} s)  ${figures.ratio.projectToPlainRead}x the plain read  Node ${figures.replay.nodeCpuMicrosPerEvent} µs/event`);
    console.log(`  replay: whole rebuild (+ verify, swap)      ${figures.replay.totalEventsPerSecond.toLocaleString('en').padStart(9)} events/s  (${figures.replay.totalSeconds} s)  ${figures.ratio.totalToPlainRead}x the plain read`);
    console.log(`  history: live projector's catch-up          ${figures.history.catchUpEventsPerSecond.toLocaleString('en').padStart(9)} events/s of the log  (${figures.history.catchUpSeconds} s)`);
    console.log(`  history: rebuild (+ verify, swap)           ${figures.history.rebuildEventsPerSecond.toLocaleString('en').padStart(9)} events/s  (${figures.history.rebuildSeconds} s, ${rebuild.history.events.toLocaleString('en')} events it reads)`);
    console.log(`saved ${saveBenchResults('replay', figures)}`);
  } finally {
    if (process.env.BENCH_KEEP !== '1' && !reused) {
      await pool.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
      await pool.query(`DROP SCHEMA IF EXISTS "${schema}__rebuild" CASCADE`);
    } else console.log(`kept schema ${schema}`);
    await pool.end();
  }
}

/**
 * Decisions share append calls of up to EVENTS_PER_APPEND events, many streams each, as a busy
 * system's batched decisions would. A decision touching a stream already in the call waits for
 * the next call, and so does every later decision touching one of its streams, so each stream
 * keeps its order. Decisions on workspaces, queues and workflows never wait: the call ends before
 * them instead. (A decision that waits never depends on a later one on another stream: the log's
 * tasks and workers refer only to queues and workflows that are never edited away.) The next
 * call is put together while the previous one commits.
 */
async function writeLog(store: PostgresEventStore, projector: ReadModelProjector): Promise<{ events: number; calls: number; ms: number }> {
  const log = new RealisticEventLog({ seed: 20_260_105, workspaces: 4, queuesPerWorkspace: 5, workersPerWorkspace: 500, tasksInFlight: 400, variety: 0.03 });
  const started = performance.now();
  let events = 0;
  let calls = 0;
  let waiting: StreamAppend[][] = [];
  let committing: Promise<unknown> = Promise.resolve();
  while (events < EVENTS) {
    const call: StreamAppend[] = [];
    const taken = new Set<string>();
    const blocked = new Set<string>();
    const stillWaiting: StreamAppend[][] = [];
    let size = 0;
    const place = (decision: StreamAppend[]): boolean => {
      if (decision.some((a) => taken.has(a.streamId) || blocked.has(a.streamId))) {
        if (decision.some((a) => !a.streamId.startsWith('task:') && !a.streamId.startsWith('worker:'))) return false;
        for (const append of decision) blocked.add(append.streamId);
        stillWaiting.push(decision);
        return true;
      }
      for (const append of decision) {
        call.push(append);
        taken.add(append.streamId);
        size += append.events.length;
      }
      return true;
    };
    let closed = false;
    for (const [i, decision] of waiting.entries()) {
      if (closed || !place(decision)) {
        closed = true;
        stillWaiting.push(...waiting.slice(i));
        break;
      }
    }
    while (!closed && size < EVENTS_PER_APPEND && events + size < EVENTS && stillWaiting.length < 10_000) {
      const decision = log.next();
      if (!place(decision)) {
        stillWaiting.push(decision);
        closed = true;
      }
    }
    waiting = stillWaiting;
    if (call.length === 0) throw new Error('a decision could not be placed in any call');
    await committing;
    committing = store.append(call, projector.project);
    events += size;
    calls++;
    if (calls % 20 === 0) progress('writing', events, EVENTS, performance.now() - started);
  }
  await committing;
  progress('writing', events, EVENTS, performance.now() - started);
  endProgress();
  return { events, calls, ms: performance.now() - started };
}

/** A log written by an earlier run (BENCH_KEEP=1): its size, and no write figures. */
async function keptLog(pool: Pool, schema: string): Promise<{ events: number; calls: number; ms: number }> {
  const { rows } = await pool.query<{ n: number }>(`SELECT count(*)::int AS n FROM "${schema}".events`);
  return { events: rows[0].n, calls: 0, ms: 0 };
}

/** The rebuild's read alone: one REPEATABLE READ snapshot, pages of the rebuild's size, nothing done with them. */
async function plainRead(pool: Pool, store: PostgresEventStore): Promise<{ events: number; ms: number; cpuMicros: number }> {
  const started = performance.now();
  const cpu = process.cpuUsage();
  let events = 0;
  await withTransaction(pool, async (tx) => {
    let after: GlobalCheckpoint | null = null;
    for (;;) {
      const page = await store.readAllInSnapshot(tx, { after, limit: REBUILD_PAGE_SIZE });
      if (page.length === 0) break;
      events += page.length;
      after = page[page.length - 1];
      progress('plain read', events, events, performance.now() - started);
    }
  }, { isolation: 'REPEATABLE READ', readOnly: true });
  endProgress();
  return { events, ms: performance.now() - started, cpuMicros: cpuMicros(cpu) };
}

let lastProgress = 0;
function progress(label: string, done: number, total: number, elapsedMs: number): void {
  const now = performance.now();
  if (now - lastProgress < 500 && done < total) return;
  lastProgress = now;
  reportProgress(label.padEnd(10), done, total, `${rate(done, elapsedMs).toLocaleString('en')} events/s`);
}
const endProgress = () => {
  lastProgress = 0;
  if (process.stderr.isTTY) process.stderr.write('\n');
};

const cpuMicros = (since: NodeJS.CpuUsage) => {
  const used = process.cpuUsage(since);
  return used.user + used.system;
};
const rate = (events: number, ms: number) => Math.round((events / Math.max(ms, 1)) * 1000);
const seconds = (ms: number) => Math.round(ms / 100) / 10;
const round2 = (x: number) => Math.round(x * 100) / 100;

main().then(() => process.exit(0), (error) => {
  console.error(`replay benchmark failed: ${(error as Error).stack ?? error}`);
  process.exit(1);
});
