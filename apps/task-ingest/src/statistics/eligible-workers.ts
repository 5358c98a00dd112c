import type { ActivityCount, WorkerFigures } from '@taskrouter/contract';
import { compileExpression, type CompiledExpression } from '@taskrouter/expression';
import type { WorkerRow } from '@taskrouter/read-model';

/**
 * The workers a queue's TargetWorkers matches, "regardless of their Activity" (total_eligible_workers),
 * as `GET /Workers?TaskQueueSid=` lists them: a queue without TargetWorkers has none. With a
 * TaskChannel, only workers whose channel of that name has capacity count; available ones are
 * in an available activity (and, with a TaskChannel, have that channel available).
 */
export class EligibleWorkers {
  private readonly compiled = new Map<string, CompiledExpression>();

  /** The queue's eligible workers (their SIDs) and figures, counted once over `workers`. */
  figures(targetWorkers: string | null, workers: readonly WorkerRow[], activities: readonly ActivityCount[]): { sids: string[]; figures: WorkerFigures } {
    const expression = targetWorkers && targetWorkers.trim() !== '' ? this.compile(targetWorkers) : null;
    const perActivity = new Map<string, number>();
    const sids: string[] = [];
    let available = 0;
    if (expression) {
      for (const row of workers) {
        if (!row.hasChannel) continue;
        const worker = { sid: row.sid, friendly_name: row.friendlyName, activity_sid: row.activitySid, activity_name: row.activityName, attributes: row.attributes };
        if (expression.evaluate({ worker }) !== true) continue;
        sids.push(row.sid);
        perActivity.set(row.activitySid, (perActivity.get(row.activitySid) ?? 0) + 1);
        if (row.available && row.channelAvailable) available++;
      }
    }
    return {
      sids,
      figures: {
        activities: activities.map((a) => ({ sid: a.sid, friendlyName: a.friendlyName, workers: perActivity.get(a.sid) ?? 0 })),
        totalWorkers: sids.length, availableWorkers: available,
      },
    };
  }

  private compile(source: string): CompiledExpression {
    let expression = this.compiled.get(source);
    if (!expression) {
      // Stored expressions were validated when written.
      expression = compileExpression(source, { bareKeys: 'worker' });
      if (this.compiled.size >= 10_000) this.compiled.clear();
      this.compiled.set(source, expression);
    }
    return expression;
  }
}
