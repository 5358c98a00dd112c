import { isDeepStrictEqual } from 'node:util';
import { AvailabilityIndex } from '@taskrouter/availability';
import { readInfrastructureConfig } from '@taskrouter/config';
import { readModelSnapshot, rebuildReadModel } from '@taskrouter/read-model';
import { ServiceInfrastructure, availabilitySnapshot, rebuildAvailability } from '@taskrouter/runtime';
import Redis from 'ioredis';
import { migrateSchema } from '@taskrouter/event-store';
import { timerMigrations } from '../../apps/reservation-timer/src/timer-migrations';
import { TimerStore } from '../../apps/reservation-timer/src/timer-store';
import { timersOfTask } from '../../apps/reservation-timer/src/timers-of-task';

/**
 * `npm run replay`: rebuilds the current-state tables, the timers and the Redis availability
 * index from the event log, then proves the rebuilt state equals the state before (exit 1 if not).
 * Run it with the services stopped or idle: a change landing meanwhile shows as a difference.
 */
async function main(): Promise<number> {
  const config = readInfrastructureConfig(process.env);
  const infrastructure = await ServiceInfrastructure.connect(config, 'replay');
  const redis = new Redis(config.redisUrl, { maxRetriesPerRequest: 3 });
  const availability = new AvailabilityIndex(redis, { keyPrefix: `${config.topicPrefix}:` });
  try {
    const workspaces = (await infrastructure.pool.query<{ sid: string }>(`SELECT sid FROM "${config.schema}".rm_workspaces ORDER BY sid`)).rows.map((r) => r.sid);
    await migrateSchema(infrastructure.pool, config.schema, timerMigrations);
    const timers = new TimerStore(infrastructure.pool, config.schema);
    const timersBefore = await timers.snapshot();
    const tablesBefore = await readModelSnapshot(infrastructure.pool, config.schema);
    const indexBefore = await Promise.all(workspaces.map((ws) => availabilitySnapshot(ws, infrastructure.queries, availability)));

    const rebuilt = await rebuildReadModel(infrastructure.eventStore, infrastructure.projector, {
      clock: () => Date.now(),
      onProgress: ({ events, elapsedMs }) => process.stderr.write(`\rreplay: ${events} events projected (${Math.round(events / Math.max(elapsedMs, 1) * 1000)} events/s)`),
    });
    process.stderr.write('\n');
    let workers = 0;
    let waiting = 0;
    for (const ws of workspaces) {
      const counts = await rebuildAvailability(ws, infrastructure.aggregates, infrastructure.queries, availability);
      workers += counts.workers;
      waiting += counts.waitingTasks;
    }
    const liveTasks = (await Promise.all(workspaces.map((ws) => infrastructure.queries.tasks(ws, { assignmentStatus: ['pending', 'reserved'] }, { offset: 0, limit: 1_000_000 })))).flat();
    const derived = [];
    for (const view of liveTasks) derived.push(...timersOfTask((await infrastructure.aggregates.load('task', view.sid)).state));
    await timers.replaceAll(derived);
    const timersAfter = await timers.snapshot();
    const tablesAfter = await readModelSnapshot(infrastructure.pool, config.schema);
    const indexAfter = await Promise.all(workspaces.map((ws) => availabilitySnapshot(ws, infrastructure.queries, availability)));
    const rate = Math.round((rebuilt.events / Math.max(rebuilt.elapsedMs, 1)) * 1000);
    console.log(`replay: ${rebuilt.events} events in ${rebuilt.elapsedMs} ms (${rate} events/s); ${workspaces.length} workspaces, ${workers} workers and ${waiting} waiting tasks re-indexed in Redis; ${derived.length} timers kept (${timersBefore.length - derived.length} stale dropped)`);
    // Live timers may include stale ones (they fire, decide nothing and go); none the log needs may be missing.
    const missingTimers = timersAfter.filter((needed) => !timersBefore.some((live) => isDeepStrictEqual(live, needed)));
    if (missingTimers.length > 0) console.error(`  timers: ${missingTimers.length} the log requires were missing live, e.g. ${JSON.stringify(missingTimers[0])}`);
    const differing = [
      ...Object.keys(tablesBefore).filter((table) => !isDeepStrictEqual(tablesBefore[table], tablesAfter[table])),
      ...(missingTimers.length > 0 ? ['timers'] : []),
    ];
    const indexSame = isDeepStrictEqual(indexBefore, indexAfter);
    if (differing.length === 0 && indexSame) {
      console.log('replay: verified: the rebuilt tables, timers and availability index equal the live state');
      return 0;
    }
    console.error(`replay: the rebuilt state differs from the live state: ${[...differing, ...(indexSame ? [] : ['availability index'])].join(', ')}`);
    for (const table of differing.filter((t) => t !== 'timers')) console.error(`  ${table}: ${firstDifference(tablesBefore[table], tablesAfter[table])}`);
    if (!indexSame) console.error(`  availability index: ${firstDifference(indexBefore, indexAfter)}`);
    return 1;
  } finally {
    redis.disconnect();
    await infrastructure.close();
  }
}

/** Where two snapshots first differ, as a path with both values, for the operator to look at. */
function firstDifference(before: unknown, after: unknown, path = '$'): string {
  if (isDeepStrictEqual(before, after)) return 'no difference';
  if (typeof before === 'object' && before !== null && typeof after === 'object' && after !== null) {
    const keys = new Set([...Object.keys(before), ...Object.keys(after)]);
    for (const key of keys) {
      const b = (before as Record<string, unknown>)[key];
      const a = (after as Record<string, unknown>)[key];
      if (!isDeepStrictEqual(b, a)) return firstDifference(b, a, `${path}.${key}`);
    }
  }
  return `${path}: live ${JSON.stringify(before)}, rebuilt ${JSON.stringify(after)}`;
}

main().then((code) => process.exit(code), (error) => {
  console.error(`replay failed: ${(error as Error).message}`);
  process.exit(2);
});
