import type { AvailabilityIndex } from '@taskrouter/availability';
import type { ReadModelQueries } from '@taskrouter/read-model';
import type { AggregateStore } from './aggregate-store';
import { QueueMembership } from './queue-membership';
import { workerAvailabilityOf } from './worker-availability-of';
import { workerFactsOf } from './worker-facts';

const ALL = { offset: 0, limit: 1_000_000 };

export interface RebuiltAvailability {
  readonly workers: number;
  /** The tasks put back in waiting lists: a running matcher offers each of them again. */
  readonly waitingTaskSids: string[];
}

/**
 * Rebuilds a workspace's availability index from the log: every worker's entry from its
 * aggregate, every routed pending task back in its queue's waiting list. `flush` first deletes
 * the workspace's keys (replay, with the services stopped); without it entries are rewritten in
 * place, which is safe beside a running matcher because worker upserts never go back a version.
 */
export async function rebuildAvailability(
  workspaceSid: string,
  aggregates: AggregateStore,
  queries: ReadModelQueries,
  availability: AvailabilityIndex,
  options: { flush: boolean } = { flush: true },
): Promise<RebuiltAvailability> {
  if (options.flush) await availability.flushWorkspace(workspaceSid);
  const membership = new QueueMembership(queries);
  const workspace = await aggregates.load('workspace', workspaceSid);
  const workers = await queries.workers(workspaceSid, {}, ALL);
  for (const view of workers) {
    const worker = await aggregates.load('worker', view.sid);
    const queues = await membership.queuesOf(workspaceSid, workerFactsOf(worker.state));
    await availability.upsertWorker(workerAvailabilityOf(worker.state, workspace.state, queues, worker.version));
  }
  const pending = await queries.tasks(workspaceSid, { assignmentStatus: ['pending'] }, ALL);
  const waitingTaskSids: string[] = [];
  for (const view of pending) {
    const task = await aggregates.load('task', view.sid);
    const routing = task.state.routing;
    if (!routing || routing.stepExpired) continue;
    await availability.enqueueTask(workspaceSid, routing.queueSid, { taskSid: view.sid, priority: task.state.priority, enteredAt: Date.parse(routing.enteredAt), channel: task.state.channel });
    waitingTaskSids.push(view.sid);
  }
  return { workers: workers.length, waitingTaskSids };
}

/** Every worker entry and waiting task of a workspace, in a stable order, for comparing live and rebuilt. */
export async function availabilitySnapshot(workspaceSid: string, queries: ReadModelQueries, availability: AvailabilityIndex): Promise<unknown> {
  const workers = await queries.workers(workspaceSid, {}, ALL);
  const entries = await Promise.all(workers.map(async (w) => {
    const entry = await availability.getWorker(workspaceSid, w.sid);
    return entry && { ...entry, queues: [...entry.queues].sort() };
  }));
  const queues = await queries.taskQueues(workspaceSid, {}, ALL);
  const waiting = await Promise.all(queues.map(async (q) => ({ queue: q.sid, tasks: await availability.waitingTasks(workspaceSid, q.sid, 1_000_000) })));
  return { entries, waiting };
}
