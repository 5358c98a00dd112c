import type { AvailabilityIndex } from '@taskrouter/availability';
import type { ReadModelQueries } from '@taskrouter/read-model';
import { QueueMembership, workerAvailabilityOf, workerFactsOf, type AggregateStore } from '@taskrouter/runtime';

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

  async refresh(workspaceSid: string, workerSid: string): Promise<void> {
    const [worker, workspace] = await Promise.all([this.aggregates.load('worker', workerSid), this.aggregates.loadRecent('workspace', workspaceSid)]);
    if (!worker.state.exists) {
      await this.availability.removeWorker(workspaceSid, workerSid, worker.version);
      return;
    }
    const queues = await this.membership.queuesOf(workspaceSid, workerFactsOf(worker.state));
    await this.availability.upsertWorker(workerAvailabilityOf(worker.state, workspace.state, queues, worker.version));
  }

  /**
   * Every worker's entry written again from the log: capacity a crashed matcher reserved in Redis
   * but never appended (nor released) is given back. Run at start, before consuming.
   */
  async resyncAll(queries: ReadModelQueries): Promise<number> {
    let workers = 0;
    for (const workspaceSid of await queries.allWorkspaceSids()) {
      for (const view of await queries.workers(workspaceSid, {}, { offset: 0, limit: 1_000_000 })) {
        await this.refresh(workspaceSid, view.sid);
        workers++;
      }
    }
    return workers;
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
