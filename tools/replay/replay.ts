import { isDeepStrictEqual } from 'node:util';
import { AvailabilityIndex } from '@taskrouter/availability';
import { readInfrastructureConfig } from '@taskrouter/config';
import { migrateSchema } from '@taskrouter/event-store';
import { rebuildReadModel, type ReadModelRebuild, type TableDifference } from '@taskrouter/read-model';
import { ServiceInfrastructure, availabilitySnapshot, eventRelayName, rebuildAvailability } from '@taskrouter/runtime';
import Redis from 'ioredis';
import { timerMigrations } from '../../apps/reservation-timer/src/timer-migrations';
import { TimerStore, type NewTimer } from '../../apps/reservation-timer/src/timer-store';
import { timersOfTask } from '../../apps/reservation-timer/src/timers-of-task';
import { firstDifference } from './first-difference';
import { readReplayOptions, REPLAY_USAGE } from './replay-options';
import { pipelineBacklog, waitForQuiet, type PipelineBacklog } from './pipeline-backlog';
import { rate, replayProgress } from './replay-progress';

/**
 * `npm run replay`: rebuilds the current-state tables beside the live ones from the event log
 * and swaps them in only if they equal the live tables in the same snapshot (`--repair` swaps
 * anyway, for tables known to be damaged), and the history (Events, statistics) likewise at its
 * own checkpoint; then rebuilds the timers and the Redis availability
 * index and compares them with what was live, once the consumers that keep them have caught up.
 * Exit 0: verified; 1: a difference (the tables were left as they were); 2: replay failed.
 */
async function main(): Promise<number> {
  const options = readReplayOptions(process.argv.slice(2));
  if (options === 'help') {
    console.log(REPLAY_USAGE);
    return 0;
  }
  const config = readInfrastructureConfig(process.env);
  const infrastructure = await ServiceInfrastructure.connect(config, 'replay');
  const redis = new Redis(config.redisUrl, { maxRetriesPerRequest: 3 });
  const availability = new AvailabilityIndex(redis, { keyPrefix: `${config.topicPrefix}:` });
  try {
    // The highest position is read from an index at once; counting the log would cost a scan of it.
    const { rows } = await infrastructure.pool.query<{ n: string }>(`SELECT coalesce(max(position), 0)::text AS n FROM "${config.schema}".events`);
    const progress = replayProgress(Number(rows[0].n));
    // The history's bar counts up to the whole log: it reads only the types it shows, up to its checkpoint.
    let historyProgress: ReturnType<typeof replayProgress> | undefined;
    const tables = await rebuildReadModel(infrastructure.pool, infrastructure.eventStore, {
      repair: options.repair,
      clock: () => Date.now(),
      onProgress: ({ events, elapsedMs }) => progress.report(events, elapsedMs),
      onHistoryProgress: ({ events, elapsedMs }) => {
        if (!historyProgress) {
          progress.end();
          historyProgress = replayProgress(Number(rows[0].n));
        }
        historyProgress.report(events, elapsedMs);
      },
    });
    if (historyProgress) historyProgress.end();
    else progress.end();
    reportTables(tables, options.repair);
    if ((tables.differences.length > 0 || tables.history.differences.length > 0) && !options.repair) return 1;
    if (options.tablesOnly) {
      console.log('replay: verified: the rebuilt tables equal the live state (--tables-only: Redis and timers left to the services)');
      return 0;
    }

    // The index and the timers are kept by consumers: compare only once they caught up with the
    // log, or a lagging (or stopped) consumer shows as a false difference.
    const backlog = await waitForQuiet(() => pipelineBacklog(infrastructure, eventRelayName(config.topicPrefix)), options.settleMs);
    const workspaces = await infrastructure.queries.allWorkspaceSids();
    const indexBefore = await Promise.all(workspaces.map((ws) => availabilitySnapshot(ws, infrastructure.queries, availability)));
    let workers = 0;
    let waiting = 0;
    // Cleared first too: if a workspace's rebuild fails after its flush, the running matcher
    // still sees the marker gone and rebuilds it, instead of routing on an empty index.
    await availability.clearBuiltMarker();
    for (const ws of workspaces) {
      const rebuilt = await rebuildAvailability(ws, infrastructure.aggregates, infrastructure.queries, availability);
      workers += rebuilt.workers;
      waiting += rebuilt.waitingTaskSids.length;
    }
    // The marker is left unset: a running queue-matcher then rebuilds once more and offers the
    // waiting tasks (nothing else would), and a stopped one does both when it starts.
    await availability.clearBuiltMarker();
    const indexAfter = await Promise.all(workspaces.map((ws) => availabilitySnapshot(ws, infrastructure.queries, availability)));

    await migrateSchema(infrastructure.pool, config.schema, timerMigrations);
    const timers = new TimerStore(infrastructure.pool, config.schema);
    const timersBefore = await timers.snapshot();
    const liveTasks = (await Promise.all(workspaces.map((ws) => infrastructure.queries.tasks(ws, { assignmentStatus: ['pending', 'reserved'] }, { offset: 0, limit: 1_000_000 })))).flat();
    const derived: NewTimer[] = [];
    for (const view of liveTasks) derived.push(...timersOfTask((await infrastructure.aggregates.load('task', view.sid)).state));
    // Only ever adds: a timer the running timer service scheduled meanwhile must survive, and a
    // stale one is harmless (it fires, finds its task moved on, decides nothing and goes).
    for (const timer of derived) await timers.schedule(timer);
    console.log(`replay: ${workspaces.length} workspaces, ${workers} workers and ${waiting} waiting tasks re-indexed in Redis; ${derived.length} timers the log requires are scheduled`);

    const problems: string[] = [];
    if (!isDeepStrictEqual(indexBefore, indexAfter)) {
      if (backlog.matcher === 0 && backlog.relay === 0) problems.push(`availability index: ${firstDifference(indexBefore, indexAfter)}`);
      else console.log(`replay: availability index rebuilt, not compared: ${describeBacklog(backlog)}`);
    }
    // Live timers may include stale ones (they fire, decide nothing and go); none the log needs may be missing.
    const missingTimers = derived.map(timerRow).filter((needed) => !timersBefore.some((live) => isDeepStrictEqual(live, needed)));
    if (missingTimers.length > 0) {
      if (backlog.timer === 0 && backlog.relay === 0) problems.push(`timers: ${missingTimers.length} the log requires were missing live, e.g. ${JSON.stringify(missingTimers[0])}`);
      else console.log(`replay: timers rebuilt, not compared: ${describeBacklog(backlog)}`);
    }
    if (problems.length > 0) {
      console.error('replay: the rebuilt index or timers differ from the live ones (the index is now rebuilt from the log; missing timers were added, differing ones left as they were):');
      problems.forEach((p) => console.error(`  ${p}`));
      return 1;
    }
    console.log('replay: verified: the rebuilt tables, timers and availability index equal the live state');
    return 0;
  } finally {
    redis.disconnect();
    await infrastructure.close();
  }
}

function reportTables(tables: ReadModelRebuild, repair: boolean): void {
  console.log(`replay: ${tables.events} events in ${tables.elapsedMs} ms (${rate(tables.events, tables.elapsedMs)} events/s), ${tables.caughtUp} of them committed during the rebuild`);
  reportDifferences('current-state tables', tables.differences, tables.swapped, repair);
  const { history } = tables;
  console.log(`replay: history (Events, statistics): ${history.events} events in ${history.elapsedMs} ms (${rate(history.events, history.elapsedMs)} events/s), up to its checkpoint`);
  reportDifferences('history tables', history.differences, history.swapped, repair);
}

function reportDifferences(what: string, differences: readonly TableDifference[], swapped: boolean, repair: boolean): void {
  for (const d of differences) {
    console.error(`  ${d.table}: live ${d.liveRows} rows, rebuilt ${d.rebuiltRows}; first difference: live ${JSON.stringify(d.firstLive)}, rebuilt ${JSON.stringify(d.firstRebuilt)}`);
  }
  if (differences.length === 0) console.log(`replay: the rebuilt ${what} equal the live ones at the same point of the log${swapped ? '; swapped in' : ''}`);
  else if (repair) console.log(`replay: --repair: ${differences.length} ${what} differed; the rebuilt ones were swapped in`);
  else console.error(`replay: the rebuilt ${what} differ from the live ones in ${differences.length} tables: nothing was changed (--repair swaps them in)`);
}

function describeBacklog(backlog: PipelineBacklog): string {
  return `the pipeline had not caught up (relay ${backlog.relay}, queue-matcher ${backlog.matcher}, reservation-timer ${backlog.timer} events behind); run it with the services idle or stopped after they drained`;
}

/** A timer as `TimerStore.snapshot` shows its row. */
function timerRow(timer: NewTimer): unknown {
  return { kind: timer.kind, workspace_sid: timer.workspaceSid, task_sid: timer.taskSid, ref: timer.ref, payload: JSON.parse(JSON.stringify(timer.payload)), due_at: timer.dueAt };
}

main().then((code) => process.exit(code), (error) => {
  console.error(`replay failed: ${(error as Error).message}`);
  process.exit(2);
});
