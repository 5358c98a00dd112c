import { NO_OPENINGS, type AvailabilityIndex, type WorkerOpenings } from '@taskrouter/availability';
import { QueueMembership, workerAvailabilityOf, workerFactsOf, type AggregateStore } from '@taskrouter/runtime';
import { WAITING_TASKS_PER_QUEUE } from './waiting-tasks-per-queue';

/**
 * Brings one worker's entry in the availability index up to its event stream: read the
 * worker's current state from the log (the truth) and upsert it with that stream version, so
 * a redelivered or late event can never move the index backwards.
 */
export class WorkerAvailabilityRefresher {
  constructor(
    private readonly aggregates: AggregateStore,
    private readonly availability: AvailabilityIndex,
    private readonly membership: QueueMembership,
  ) {}

  /**
   * Answers what the worker can take right after the upsert, read in the same Redis step: the
   * matcher offers it those tasks without asking Redis again (and a task enqueued after that step
   * finds the worker among its candidates).
   */
  async refresh(workspaceSid: string, workerSid: string): Promise<WorkerOpenings> {
    const [worker, workspace] = await Promise.all([this.aggregates.load('worker', workerSid), this.aggregates.loadRecent('workspace', workspaceSid)]);
    if (!worker.state.exists) {
      await this.availability.removeWorker(workspaceSid, workerSid, worker.version);
      return NO_OPENINGS;
    }
    const queues = await this.membership.queuesOf(workspaceSid, workerFactsOf(worker.state));
    const entry = workerAvailabilityOf(worker.state, workspace.state, queues, worker.version);
    return (await this.availability.upsertWorkerAndOpenings(entry, WAITING_TASKS_PER_QUEUE)).openings;
  }

  /** A queue's target_workers changed: the worker's membership moves, its capacity state stays. */
  async refreshMembership(workspaceSid: string, workerSid: string): Promise<void> {
    const worker = await this.aggregates.load('worker', workerSid);
    if (!worker.state.exists) return;
    const queues = await this.membership.queuesOf(workspaceSid, workerFactsOf(worker.state));
    if (!(await this.availability.setWorkerQueues(workspaceSid, workerSid, worker.version, queues))) {
      // The index has no entry at this version yet (or a newer one): a full refresh settles it.
      await this.refresh(workspaceSid, workerSid);
    }
  }
}
