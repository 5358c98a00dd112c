import type Redis from 'ioredis';
import { CANDIDATES_LUA } from './lua/candidates.lua';
import { OFFER_TASK_LUA } from './lua/offer-task.lua';
import { RELEASE_CAPACITY_LUA } from './lua/release-capacity.lua';
import { REMOVE_WORKER_LUA } from './lua/remove-worker.lua';
import { RESERVE_CAPACITY_LUA } from './lua/reserve-capacity.lua';
import { SET_WORKER_QUEUES_LUA } from './lua/set-worker-queues.lua';
import { UPSERT_WORKER_LUA } from './lua/upsert-worker.lua';
import { ENQUEUE_TASK_LUA, REMOVE_TASK_LUA, WAITING_TASKS_LUA } from './lua/waiting-tasks.lua';
import { UPSERT_WORKER_AND_OPENINGS_LUA, WORKER_OPENINGS_LUA } from './lua/worker-openings.lua';

/** The index's Lua scripts as ioredis commands (EVALSHA, with EVAL once when Redis lacks the script). */
export interface AvailabilityScripts {
  availabilityUpsertWorker(workerKey: string, ...args: string[]): Promise<number>;
  availabilityRemoveWorker(workerKey: string, ...args: string[]): Promise<number>;
  availabilitySetWorkerQueues(workerKey: string, ...args: string[]): Promise<number>;
  availabilityReserve(workerKey: string, ...args: string[]): Promise<number>;
  availabilityRelease(workerKey: string, ...args: string[]): Promise<number>;
  availabilityCandidates(candidateKey: string, ...args: string[]): Promise<string[]>;
  availabilityEnqueueTask(waitingKey: string, detailsKey: string, ...args: string[]): Promise<number>;
  availabilityRemoveTask(waitingKey: string, detailsKey: string, ...args: string[]): Promise<number>;
  availabilityWaitingTasks(waitingKey: string, detailsKey: string, ...args: string[]): Promise<Array<string | null>>;
  availabilityWorkerOpenings(workerKey: string, ...args: string[]): Promise<RawOpenings>;
  availabilityUpsertWorkerAndOpenings(workerKey: string, ...args: string[]): Promise<[number, ...RawOpenings]>;
  availabilityOfferTask(candidateKey: string, waitingKey: string, detailsKey: string, membersKey: string, ...args: string[]): Promise<[number, string[], string[]]>;
}

/** A worker's openings as the scripts answer them: its hash (HGETALL, flat), then queueSid, waiting details, ... */
export type RawOpenings = [string[], Array<string | Array<string | null>>];

const SCRIPTS: Record<keyof AvailabilityScripts, { numberOfKeys: number; lua: string }> = {
  availabilityUpsertWorker: { numberOfKeys: 1, lua: UPSERT_WORKER_LUA },
  availabilityRemoveWorker: { numberOfKeys: 1, lua: REMOVE_WORKER_LUA },
  availabilitySetWorkerQueues: { numberOfKeys: 1, lua: SET_WORKER_QUEUES_LUA },
  availabilityReserve: { numberOfKeys: 1, lua: RESERVE_CAPACITY_LUA },
  availabilityRelease: { numberOfKeys: 1, lua: RELEASE_CAPACITY_LUA },
  availabilityCandidates: { numberOfKeys: 1, lua: CANDIDATES_LUA },
  availabilityEnqueueTask: { numberOfKeys: 2, lua: ENQUEUE_TASK_LUA },
  availabilityRemoveTask: { numberOfKeys: 2, lua: REMOVE_TASK_LUA },
  availabilityWaitingTasks: { numberOfKeys: 2, lua: WAITING_TASKS_LUA },
  availabilityWorkerOpenings: { numberOfKeys: 1, lua: WORKER_OPENINGS_LUA },
  availabilityUpsertWorkerAndOpenings: { numberOfKeys: 1, lua: UPSERT_WORKER_AND_OPENINGS_LUA },
  availabilityOfferTask: { numberOfKeys: 4, lua: OFFER_TASK_LUA },
};

const clientsWithScripts = new WeakSet<Redis>();

/** Defines the scripts on the connection once, however many indexes share it. */
export function withAvailabilityScripts(redis: Redis): Redis & AvailabilityScripts {
  if (redis.options.keyPrefix) {
    // ioredis would prefix KEYS but not the keys the scripts derive from ARGV: they would disagree.
    throw new Error('AvailabilityIndex needs a Redis client without ioredis keyPrefix; pass options.keyPrefix instead');
  }
  if (!clientsWithScripts.has(redis)) {
    for (const [name, definition] of Object.entries(SCRIPTS)) redis.defineCommand(name, definition);
    clientsWithScripts.add(redis);
  }
  return redis as Redis & AvailabilityScripts;
}
