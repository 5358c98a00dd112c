import type { RawOpenings } from './availability-scripts';
import type { WaitingTask } from './waiting-task';
import { parseStoredWaitingTasks } from './waiting-task-order';
import type { WorkerAvailability } from './worker-availability';
import { parseWorkerHash } from './worker-hash';

/** A task waiting in one of a worker's queues. */
export interface QueuedTask extends WaitingTask {
  queueSid: string;
}

/**
 * What a worker can take now, read in one step: its entry as the index holds it (null: none, or a
 * tombstone) and the first waiting tasks of each of its queues, in each queue's order. No waiting
 * tasks are listed when the worker has no free capacity on an available channel.
 */
export interface WorkerOpenings {
  worker: WorkerAvailability | null;
  waiting: QueuedTask[];
}

export const NO_OPENINGS: WorkerOpenings = Object.freeze({ worker: null, waiting: [] }) as WorkerOpenings;

/** The openings from a script's answer: the worker hash flat (HGETALL), then queueSid, details JSON list, ... */
export function parseOpenings(workspaceSid: string, workerSid: string, [flatHash, byQueue]: RawOpenings): WorkerOpenings {
  const hash: Record<string, string> = {};
  for (let i = 0; i < flatHash.length; i += 2) hash[flatHash[i]] = flatHash[i + 1];
  const waiting: QueuedTask[] = [];
  for (let i = 0; i < byQueue.length; i += 2) {
    const queueSid = byQueue[i] as string;
    for (const task of parseStoredWaitingTasks(byQueue[i + 1] as Array<string | null>)) waiting.push({ ...task, queueSid });
  }
  return { worker: parseWorkerHash(workspaceSid, workerSid, hash), waiting };
}
