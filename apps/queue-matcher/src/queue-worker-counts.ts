import { compileExpression, type CompiledExpression } from '@taskrouter/expression';
import type { ReadModelQueries } from '@taskrouter/read-model';

/**
 * The `workers.*` variables of `skip_if`: how many of a queue's workers are in an available
 * activity (`workers.available`), in an unavailable one (`workers.unavailable`), and in each
 * activity by SID (`workers.WA…`). Read from the current-state tables in one query; the queue's
 * target_workers is compiled once per text.
 */
export class QueueWorkerCounts {
  private readonly compiled = new Map<string, CompiledExpression>();

  constructor(private readonly queries: ReadModelQueries) {}

  async countsOf(workspaceSid: string, queueSid: string): Promise<Record<string, number>> {
    const counts: Record<string, number> = { available: 0, unavailable: 0 };
    const queue = await this.queries.taskQueue(workspaceSid, queueSid);
    if (!queue?.targetWorkers || queue.targetWorkers.trim() === '') return counts;
    const targetWorkers = this.compile(queue.targetWorkers);
    for (const view of await this.queries.workers(workspaceSid, {}, { offset: 0, limit: 1_000_000 })) {
      const worker = { sid: view.sid, friendly_name: view.friendlyName, activity_sid: view.activitySid, activity_name: view.activityName, attributes: view.attributes };
      if (!targetWorkers.evaluate({ worker })) continue;
      counts[view.available ? 'available' : 'unavailable']++;
      counts[view.activitySid] = (counts[view.activitySid] ?? 0) + 1;
    }
    return counts;
  }

  private compile(source: string): CompiledExpression {
    let expression = this.compiled.get(source);
    if (!expression) {
      expression = compileExpression(source, { bareKeys: 'worker' });
      this.compiled.set(source, expression);
    }
    return expression;
  }
}
