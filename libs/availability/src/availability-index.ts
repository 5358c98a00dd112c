import type Redis from 'ioredis';
import { AvailabilityKeys } from './availability-keys';
import { type AvailabilityScripts, withAvailabilityScripts } from './availability-scripts';
import type { WaitingTask } from './waiting-task';
import { type StoredWaitingTask, parseStoredWaitingTasks, storedWaitingTask, waitingTaskScore } from './waiting-task-order';
import { encodeWorkerArguments, parseWorkerHash, requireNonNegativeInteger } from './worker-hash';
import type { WorkerAvailability, WorkerCandidate } from './worker-availability';
import { parseOpenings, type WorkerOpenings } from './worker-openings';

/** A task's first look at its queue (`offerTask`). */
export interface TaskOffer {
  /** Available workers with free capacity on the task's channel in the queue, longest idle first. */
  candidates: WorkerCandidate[];
  /** The task waits in the queue's list now (there was no candidate and it was allowed to wait). */
  waiting: boolean;
  /**
   * With candidates: up to `othersLimit` other members of the queue, and why they are not
   * candidates (for the routing explanation); empty without candidates.
   */
  nonCandidates: NonCandidate[];
}

/** A queue member that cannot take a task of the channel now. */
export interface NonCandidate {
  workerSid: string;
  reason: 'unavailable' | 'channel_unavailable' | 'no_capacity';
}

export interface AvailabilityIndexOptions {
  /** Prepended to every key (for example `taskrouter:availability:`); specs use a unique one. */
  keyPrefix: string;
}

/**
 * The live worker availability index in Redis. It proposes; the Postgres event log decides.
 * Every method is one round trip; everything it holds can be rebuilt from the log
 * (flushWorkspace, then upsert every worker and enqueue every waiting task again).
 * See docs/availability.md for keys, scripts and invariants.
 */
export class AvailabilityIndex {
  private readonly redis: Redis & AvailabilityScripts;
  private readonly keys: AvailabilityKeys;

  constructor(redis: Redis, options: AvailabilityIndexOptions) {
    this.keys = new AvailabilityKeys(options.keyPrefix);
    this.redis = withAvailabilityScripts(redis);
  }

  /** Applies the worker's state unless the index already holds a newer version. */
  async upsertWorker(worker: WorkerAvailability): Promise<boolean> {
    const base = this.keys.workspaceBase(worker.workspaceSid);
    const applied = await this.redis.availabilityUpsertWorker(
      this.keys.worker(worker.workspaceSid, worker.workerSid),
      base,
      ...encodeWorkerArguments(worker),
    );
    return applied === 1;
  }

  /**
   * `upsertWorker`, and in the same atomic step what the worker can take now (see WorkerOpenings),
   * at most `waitingPerQueue` waiting tasks of each of its queues. The openings are those of the
   * stored state, also when the upsert was stale.
   */
  async upsertWorkerAndOpenings(worker: WorkerAvailability, waitingPerQueue: number): Promise<{ applied: boolean; openings: WorkerOpenings }> {
    requirePositiveInteger('waitingPerQueue', waitingPerQueue);
    const [applied, ...openings] = await this.redis.availabilityUpsertWorkerAndOpenings(
      this.keys.worker(worker.workspaceSid, worker.workerSid),
      this.keys.workspaceBase(worker.workspaceSid),
      String(waitingPerQueue),
      ...encodeWorkerArguments(worker),
    );
    return { applied: applied === 1, openings: parseOpenings(worker.workspaceSid, worker.workerSid, openings) };
  }

  /** What the worker can take now (see WorkerOpenings), at most `waitingPerQueue` waiting tasks of each of its queues. */
  async openings(workspaceSid: string, workerSid: string, waitingPerQueue: number): Promise<WorkerOpenings> {
    requirePositiveInteger('waitingPerQueue', waitingPerQueue);
    const raw = await this.redis.availabilityWorkerOpenings(this.keys.worker(workspaceSid, workerSid), this.keys.workspaceBase(workspaceSid), String(waitingPerQueue));
    return parseOpenings(workspaceSid, workerSid, raw);
  }

  /**
   * Moves a worker into the queues it now belongs to after a TaskQueue's target_workers changed,
   * keeping its capacity. `version` is the worker version the membership was computed from.
   */
  async setWorkerQueues(workspaceSid: string, workerSid: string, version: number, queues: string[]): Promise<boolean> {
    const applied = await this.redis.availabilitySetWorkerQueues(
      this.keys.worker(workspaceSid, workerSid), this.keys.workspaceBase(workspaceSid), workerSid, String(version), JSON.stringify(queues),
    );
    return applied === 1;
  }

  /**
   * Takes the worker out of every candidate set and forgets its state, keeping only a tombstone
   * with its version so a redelivered older upsert cannot resurrect it. With `version` (the
   * deleting event's), a removal older than the stored state is a no-op; returns whether it applied.
   */
  async removeWorker(workspaceSid: string, workerSid: string, version?: number): Promise<boolean> {
    if (version !== undefined) requireNonNegativeInteger('version', version);
    const removed = await this.redis.availabilityRemoveWorker(
      this.keys.worker(workspaceSid, workerSid),
      this.keys.workspaceBase(workspaceSid),
      workerSid,
      version === undefined ? '' : String(version),
    );
    return removed === 1;
  }

  /** Available workers with free capacity on the channel in that queue, longest idle first. */
  async candidates(workspaceSid: string, queueSid: string, channel: string, limit: number): Promise<WorkerCandidate[]> {
    if (!Number.isInteger(limit) || limit <= 0) return [];
    const flat = await this.redis.availabilityCandidates(
      this.keys.candidates(workspaceSid, queueSid, channel),
      this.keys.workspaceBase(workspaceSid),
      channel,
      String(limit),
    );
    return candidatesFrom(flat);
  }

  /**
   * A task's first look at its queue, in one atomic step: its first `limit` candidates, and its
   * place in the waiting list. With candidates the task leaves the list (whoever offers it to them
   * enqueues it again if none takes it); without any, it joins the list when `waitIfNone`, so
   * that a worker freed after this step finds it, and one freed before was a candidate.
   * `othersLimit` (default 0): how many non-candidate members of the queue to answer beside candidates.
   */
  async offerTask(workspaceSid: string, queueSid: string, task: WaitingTask, limit: number, options: { waitIfNone: boolean; othersLimit?: number }): Promise<TaskOffer> {
    requirePositiveInteger('limit', limit);
    requireName('channel', task.channel);
    const stored = storedWaitingTask(task);
    const waitArguments = options.waitIfNone ? [String(waitingTaskScore(task.priority)), stored.member, JSON.stringify(stored)] : [];
    const othersLimit = options.othersLimit ?? 0;
    if (!Number.isSafeInteger(othersLimit) || othersLimit < 0) throw new Error(`othersLimit must be a non-negative integer, got ${othersLimit}`);
    const [waiting, flat, others] = await this.redis.availabilityOfferTask(
      this.keys.candidates(workspaceSid, queueSid, task.channel),
      this.keys.waiting(workspaceSid, queueSid),
      this.keys.waitingDetails(workspaceSid, queueSid),
      this.keys.members(workspaceSid, queueSid),
      this.keys.workspaceBase(workspaceSid),
      task.channel,
      String(limit),
      requireName('taskSid', task.taskSid),
      String(othersLimit),
      ...waitArguments,
    );
    return { candidates: candidatesFrom(flat), waiting: waiting === 1, nonCandidates: nonCandidatesFrom(others) };
  }

  /**
   * Takes one unit of the worker's capacity on the channel, atomically (one Lua script): only if
   * the worker and its channel are available and assigned < capacity. A full channel leaves the
   * candidate sets. If the caller's event-log append then loses, it must call release().
   */
  async reserve(workspaceSid: string, workerSid: string, channel: string): Promise<boolean> {
    const reserved = await this.redis.availabilityReserve(
      this.keys.worker(workspaceSid, workerSid),
      this.keys.workspaceBase(workspaceSid),
      workerSid,
      requireName('channel', channel),
    );
    return reserved === 1;
  }

  /** Gives one unit back (never below 0); the worker re-enters the candidate sets if it can take a task. */
  async release(workspaceSid: string, workerSid: string, channel: string): Promise<void> {
    await this.redis.availabilityRelease(
      this.keys.worker(workspaceSid, workerSid),
      this.keys.workspaceBase(workspaceSid),
      workerSid,
      requireName('channel', channel),
    );
  }

  async getWorker(workspaceSid: string, workerSid: string): Promise<WorkerAvailability | null> {
    const hash = await this.redis.hgetall(this.keys.worker(workspaceSid, workerSid));
    return parseWorkerHash(workspaceSid, workerSid, hash);
  }

  /** Puts a task into the queue's waiting list (again: a re-enqueued task replaces its entry). */
  async enqueueTask(workspaceSid: string, queueSid: string, task: WaitingTask): Promise<void> {
    requireName('channel', task.channel);
    const stored: StoredWaitingTask = storedWaitingTask({
      taskSid: task.taskSid,
      priority: task.priority,
      enteredAt: task.enteredAt,
      channel: task.channel,
    });
    await this.redis.availabilityEnqueueTask(
      this.keys.waiting(workspaceSid, queueSid),
      this.keys.waitingDetails(workspaceSid, queueSid),
      task.taskSid,
      String(waitingTaskScore(task.priority)),
      stored.member,
      JSON.stringify(stored),
    );
  }

  async removeTask(workspaceSid: string, queueSid: string, taskSid: string): Promise<void> {
    await this.redis.availabilityRemoveTask(
      this.keys.waiting(workspaceSid, queueSid),
      this.keys.waitingDetails(workspaceSid, queueSid),
      requireName('taskSid', taskSid),
    );
  }

  /** Waiting tasks of the queue: highest priority first, then oldest first. */
  async waitingTasks(workspaceSid: string, queueSid: string, limit: number): Promise<WaitingTask[]> {
    if (!Number.isInteger(limit) || limit <= 0) return [];
    const details = await this.redis.availabilityWaitingTasks(
      this.keys.waiting(workspaceSid, queueSid),
      this.keys.waitingDetails(workspaceSid, queueSid),
      String(limit),
    );
    return parseStoredWaitingTasks(details);
  }

  /** How many tasks wait in the queue. */
  async waitingCount(workspaceSid: string, queueSid: string): Promise<number> {
    return this.redis.zcard(this.keys.waiting(workspaceSid, queueSid));
  }

  /** Records that the index was rebuilt from the log (see AvailabilityKeys.builtMarker). */
  async markBuilt(at: Date): Promise<void> {
    await this.redis.set(this.keys.builtMarker(), at.toISOString());
  }

  /** Makes the running matcher rebuild the index from the log and offer the waiting tasks (after replay). */
  async clearBuiltMarker(): Promise<void> {
    await this.redis.del(this.keys.builtMarker());
  }

  /** False once Redis lost the index's data: everything must be rebuilt from the log. */
  async isMarkedBuilt(): Promise<boolean> {
    return (await this.redis.exists(this.keys.builtMarker())) === 1;
  }

  /**
   * Deletes every key of the workspace (before a replay re-applies the log). SCAN + UNLINK, never
   * KEYS: the server stays responsive however many keys there are. Other workspaces are untouched
   * because every key of this one starts with its own `{workspace}` base.
   */
  async flushWorkspace(workspaceSid: string): Promise<void> {
    const pattern = this.keys.workspacePattern(workspaceSid);
    let cursor = '0';
    do {
      const [next, keys] = await this.redis.scan(cursor, 'MATCH', pattern, 'COUNT', 1000);
      if (keys.length > 0) await this.redis.unlink(...keys);
      cursor = next;
    } while (cursor !== '0');
  }
}

/** Candidates from a script's flat answer: workerSid, idleSince, freeCapacity, ... */
function candidatesFrom(flat: readonly string[]): WorkerCandidate[] {
  const result: WorkerCandidate[] = [];
  for (let i = 0; i < flat.length; i += 3) result.push({ workerSid: flat[i], idleSince: Number(flat[i + 1]), freeCapacity: Number(flat[i + 2]) });
  return result;
}

function nonCandidatesFrom(flat: readonly string[]): NonCandidate[] {
  const result: NonCandidate[] = [];
  for (let i = 0; i < flat.length; i += 2) result.push({ workerSid: flat[i], reason: flat[i + 1] as NonCandidate['reason'] });
  return result;
}

function requirePositiveInteger(name: string, value: number): void {
  if (!Number.isSafeInteger(value) || value <= 0) throw new Error(`${name} must be a positive integer, got ${value}`);
}

function requireName(name: string, value: string): string {
  if (typeof value !== 'string' || value.length === 0) throw new Error(`${name} must be a non-empty string`);
  return value;
}
