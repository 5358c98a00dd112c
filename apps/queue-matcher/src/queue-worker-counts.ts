import type { ReadModelQueries } from '@taskrouter/read-model';
import { workerFactsOf, type AggregateStore, type QueueMembership } from '@taskrouter/runtime';

/**
 * The `workers.*` variables of `skip_if`: how many of a queue's workers are in an available
 * activity (`workers.available`), in an unavailable one (`workers.unavailable`), and in each
 * activity by SID (`workers.WA…`).
 */
export class QueueWorkerCounts {
  constructor(private readonly queries: ReadModelQueries, private readonly aggregates: AggregateStore, private readonly membership: QueueMembership) {}

  async countsOf(workspaceSid: string, queueSid: string): Promise<Record<string, number>> {
    const counts: Record<string, number> = { available: 0, unavailable: 0 };
    const views = await this.queries.workers(workspaceSid, {}, { offset: 0, limit: 1_000_000 });
    for (const view of views) {
      const worker = await this.aggregates.load('worker', view.sid);
      if (!worker.state.exists || !(await this.membership.queuesOf(workspaceSid, workerFactsOf(worker.state))).includes(queueSid)) continue;
      counts[worker.state.activity.available ? 'available' : 'unavailable']++;
      counts[worker.state.activity.sid] = (counts[worker.state.activity.sid] ?? 0) + 1;
    }
    return counts;
  }
}
