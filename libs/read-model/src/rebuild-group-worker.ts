import { parentPort, workerData } from 'node:worker_threads';
import { PostgresEventStore, withTransaction } from '@taskrouter/event-store';
import { Pool, type PoolConfig } from 'pg';
import { projectPipelined } from './projected-pipeline';
import { ReplayGroupProjector } from './projection/replay-group-projector';
import { REPLAY_GROUPS, writtenTypes } from './projection/replay-groups';
import { RememberedFacts } from './projection/reservation-facts';

/** What the rebuild hands the thread that folds the workers' group (rebuild-in-threads.ts). */
export interface RebuildGroupWorkerData {
  readonly connection: PoolConfig;
  readonly liveSchema: string;
  readonly besideSchema: string;
  /** The rebuild's exported snapshot: this thread reads exactly the log the rebuild's own reader does. */
  readonly snapshot: string;
  readonly sizes: { batch: number; page: number };
}

export type RebuildGroupMessage = { readonly projected: number } | { readonly done: number };

/**
 * The worker thread's side: reads the workers' group's events in the rebuild's snapshot, folds
 * and writes them beside with connections of its own, and reports the events it projected (those
 * of the types it writes, so the groups' counts add up to the log's).
 */
async function foldWorkersGroup(data: RebuildGroupWorkerData): Promise<number> {
  const group = REPLAY_GROUPS.workers;
  const pool = new Pool({ ...data.connection, max: 2 });
  try {
    const store = new PostgresEventStore(pool, { schema: data.liveSchema });
    const projector = new ReplayGroupProjector(data.besideSchema, group);
    const written = new Set(writtenTypes(group));
    return await withTransaction(pool, async (reader) => {
      await reader.query(`SET TRANSACTION SNAPSHOT '${data.snapshot.replace(/'/g, '')}'`);
      const cursor = await store.openProjectableCursor(reader, { types: group.eventTypes, narrowed: group.narrowed });
      const projected = await projectPipelined(pool, (limit) => cursor.read(limit), projector, data.sizes, async (events) => {
        parentPort?.postMessage({ projected: events } satisfies RebuildGroupMessage);
      }, {
        countOf: (page) => page.reduce((n, event) => (written.has(event.type) ? n + 1 : n), 0),
        // The joins' facts are only ever read from memory here: the tables beside that hold them
        // are the other thread's, written at its own pace (the rebuild keeps logs this thread
        // could not remember whole to one thread).
        facts: new RememberedFacts(Number.POSITIVE_INFINITY),
      });
      await cursor.close();
      return projected;
    }, { isolation: 'REPEATABLE READ', readOnly: true });
  } finally {
    await pool.end();
  }
}

if (parentPort) {
  foldWorkersGroup(workerData as RebuildGroupWorkerData).then(
    (events) => parentPort?.postMessage({ done: events } satisfies RebuildGroupMessage),
    (error: unknown) => {
      // Thrown out of the thread, it reaches the rebuild as the Worker's 'error' event.
      setImmediate(() => {
        throw error;
      });
    },
  );
}
