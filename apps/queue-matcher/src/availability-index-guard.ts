import type { AvailabilityIndex } from '@taskrouter/availability';
import type { ReadModelQueries } from '@taskrouter/read-model';
import { rebuildAvailability, type AggregateStore } from '@taskrouter/runtime';

export interface WaitingTaskRef {
  readonly workspaceSid: string;
  readonly taskSid: string;
}

export interface IndexGuardLogger {
  (line: string): void;
}

/**
 * Keeps the Redis availability index whole. At start it rewrites every worker's entry and every
 * waiting list from the log (capacity a crashed matcher reserved but never appended is given
 * back; tasks routed while no matcher ran are queued). Then it watches the index's built marker:
 * when Redis has lost its data, it rebuilds the same way and offers every waiting task again,
 * because no event will arrive to say that those tasks and workers are still there.
 */
export class AvailabilityIndexGuard {
  private timer: NodeJS.Timeout | undefined;
  private checking: Promise<void> | undefined;
  private offering: Promise<void> | undefined;
  private stopping = false;
  /** Restored tasks whose offer failed (a lost race, a blip): offered again at the next check. */
  private readonly retryOffers: WaitingTaskRef[] = [];

  constructor(
    private readonly aggregates: AggregateStore,
    private readonly queries: ReadModelQueries,
    private readonly availability: AvailabilityIndex,
    private readonly offerTask: (workspaceSid: string, taskSid: string) => Promise<void>,
    private readonly clock: () => Date,
    private readonly log: IndexGuardLogger,
  ) {}

  /** Rebuilds from the log and marks the index built; returns what it restored. */
  async restore(): Promise<{ workers: number; waitingTasks: WaitingTaskRef[] }> {
    let workers = 0;
    const waitingTasks: WaitingTaskRef[] = [];
    for (const workspaceSid of await this.queries.allWorkspaceSids()) {
      const rebuilt = await rebuildAvailability(workspaceSid, this.aggregates, this.queries, this.availability, { flush: false });
      workers += rebuilt.workers;
      waitingTasks.push(...rebuilt.waitingTaskSids.map((taskSid) => ({ workspaceSid, taskSid })));
    }
    await this.availability.markBuilt(this.clock());
    return { workers, waitingTasks };
  }

  /**
   * Offers restored waiting tasks once the matcher consumes (at start: tasks that were waiting
   * while Redis was empty, or after a replay, have no event coming that would offer them). In the
   * background, so a large backlog does not delay readiness; a task whose offer fails is offered
   * again at the next check, and one failure never stops the offers after it.
   */
  offerInBackground(waitingTasks: readonly WaitingTaskRef[]): void {
    this.offering = this.offer(waitingTasks);
  }

  /** Starts watching for a lost index every `intervalMs`. */
  watch(intervalMs: number): void {
    this.timer = setInterval(() => {
      this.checking ??= this.checkOnce().finally(() => (this.checking = undefined));
    }, intervalMs);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    this.stopping = true;
    clearInterval(this.timer);
    await Promise.all([this.checking, this.offering]);
  }

  private async offer(waitingTasks: readonly WaitingTaskRef[]): Promise<void> {
    for (const task of waitingTasks) {
      if (this.stopping) return;
      try {
        await this.offerTask(task.workspaceSid, task.taskSid);
      } catch (error) {
        this.retryOffers.push(task);
        this.log(`offering restored task ${task.taskSid} failed, offering it again at the next check: ${(error as Error).message}`);
      }
    }
  }

  private async checkOnce(): Promise<void> {
    try {
      if (this.retryOffers.length > 0) await this.offer(this.retryOffers.splice(0));
      if (await this.availability.isMarkedBuilt()) return;
      this.log('availability index lost (its built marker is gone from Redis): rebuilding it from the log');
      const { workers, waitingTasks } = await this.restore();
      await this.offer(waitingTasks);
      this.log(`availability index rebuilt from the log: ${workers} workers, ${waitingTasks.length} waiting tasks offered again`);
    } catch (error) {
      // Redis or Postgres unreachable: the next check tries again.
      this.log(`availability index check failed, retrying: ${(error as Error).message}`);
    }
  }
}
