import type { ActivityCount, WorkerFigures } from '@taskrouter/contract';
import { compileExpression, type CompiledExpression } from '@taskrouter/expression';
import type { WorkerProfile, WorkerState } from '@taskrouter/read-model';

/** Expressions, and verdicts over all of them, kept before the cache starts over. */
const MAX_EXPRESSIONS = 1_000;
const MAX_VERDICTS = 500_000;

/** One expression, compiled once, with its verdict on each worker profile it has judged (by version). */
interface JudgedExpression {
  readonly expression: CompiledExpression;
  readonly verdicts: Map<string, { version: number; eligible: boolean }>;
}

/**
 * The workers a queue's TargetWorkers matches, "regardless of their Activity" (total_eligible_workers),
 * as `GET /Workers?TaskQueueSid=` lists them: a queue without TargetWorkers has none. With a
 * TaskChannel, only workers whose channel of that name has capacity count; available ones are
 * in an available activity (and, with a TaskChannel, have that channel available). A verdict is
 * kept per expression and worker version: only workers that changed are judged again.
 */
export class EligibleWorkers {
  private readonly judged = new Map<string, JudgedExpression>();
  private verdicts = 0;

  /** The queue's eligible workers (their SIDs) and figures, counted once over `workers`. */
  figures(
    targetWorkers: string | null, workers: readonly WorkerState[], profileOf: (sid: string) => WorkerProfile | undefined, activities: readonly ActivityCount[],
  ): { sids: string[]; figures: WorkerFigures } {
    const judged = targetWorkers && targetWorkers.trim() !== '' ? this.judge(targetWorkers) : null;
    const perActivity = new Map<string, number>();
    const sids: string[] = [];
    let available = 0;
    if (judged) {
      for (const state of workers) {
        if (!state.hasChannel || !this.eligible(judged, profileOf(state.sid))) continue;
        sids.push(state.sid);
        perActivity.set(state.activitySid, (perActivity.get(state.activitySid) ?? 0) + 1);
        if (state.available && state.channelAvailable) available++;
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

  private eligible(judged: JudgedExpression, profile: WorkerProfile | undefined): boolean {
    // A worker deleted between the read of the states and of its profile is no longer anyone's.
    if (!profile) return false;
    const known = judged.verdicts.get(profile.sid);
    if (known && known.version === profile.version) return known.eligible;
    const worker = {
      sid: profile.sid, friendly_name: profile.friendlyName, activity_sid: profile.activitySid, activity_name: profile.activityName, attributes: profile.attributes,
    };
    const eligible = judged.expression.evaluate({ worker }) === true;
    if (!known && ++this.verdicts > MAX_VERDICTS) {
      // Many queues over many workers (deleted ones too): start over rather than grow without bound.
      for (const other of this.judged.values()) other.verdicts.clear();
      this.verdicts = 1;
    }
    judged.verdicts.set(profile.sid, { version: profile.version, eligible });
    return eligible;
  }

  private judge(source: string): JudgedExpression {
    let judged = this.judged.get(source);
    if (!judged) {
      if (this.judged.size >= MAX_EXPRESSIONS) {
        this.judged.clear();
        this.verdicts = 0;
      }
      // Stored expressions were validated when written.
      judged = { expression: compileExpression(source, { bareKeys: 'worker' }), verdicts: new Map() };
      this.judged.set(source, judged);
    }
    return judged;
  }
}
