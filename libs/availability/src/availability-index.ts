import type Redis from 'ioredis';
import { AvailabilityKeys } from './availability-keys';
import { type AvailabilityScripts, withAvailabilityScripts } from './availability-scripts';
import type { WaitingTask } from './waiting-task';
import { type StoredWaitingTask, storedWaitingTask, waitingTaskScore } from './waiting-task-order';
import { encodeWorkerArguments, parseWorkerHash, requireNonNegativeInteger } from './worker-hash';
import type { WorkerAvailability, WorkerCandidate } from './worker-availability';

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
    const result: WorkerCandidate[] = [];
    for (let i = 0; i < flat.length; i += 3) {
      result.push({ workerSid: flat[i], idleSince: Number(flat[i + 1]), freeCapacity: Number(flat[i + 2]) });
    }
    return result;
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
    return details
      .filter((json): json is string => json !== null)
      .map((json) => {
        const { taskSid, priority, enteredAt, channel } = JSON.parse(json) as StoredWaitingTask;
        return { taskSid, priority, enteredAt, channel };
      });
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

function requireName(name: string, value: string): string {
  if (typeof value !== 'string' || value.length === 0) throw new Error(`${name} must be a non-empty string`);
  return value;
}
