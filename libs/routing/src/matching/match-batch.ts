import { timeOfDayVariables, type CompiledExpression, type EvaluationContext } from '@taskrouter/expression';
import type { BatchMatch, MatchedReservation, MatchExplanation, TaskLeftWaiting } from './batch-match';
import { BatchCandidates } from './batch-candidates';
import { CandidateIndex } from './candidate-index';
import type { CapacitySkipList } from './capacity-skip-list';
import { ExpressionMemo, MEMO_FALSE, MEMO_TRUE, MEMO_UNKNOWN } from './expression-memo';
import { hasKnownWorkerRule, isKnownWorker, knownWorkerValue } from './known-worker';
import type { BatchMatchInput, MatchingTask } from './matching-input';
import { compareTurns } from './turn-order';
import type { WorkflowTarget } from '../workflow/workflow-definition';

/**
 * The queue-matcher's decisions for a whole batch of waiting tasks, in memory and without I/O.
 * Tasks take their turn in TaskRouter's order (priority, then age); each goes to the best
 * qualified worker of its queue with free capacity on its channel, ranked as the matcher ranks
 * one task (order_by, then longest idle), and takes one unit of that capacity, so later tasks of
 * the batch see it gone. The result proposes: the caller still reserves in the index and appends
 * TaskReserved + WorkerReserved at the versions it read, which decide.
 */
export function matchBatch(input: BatchMatchInput): BatchMatch {
  return matchBatchOn(CandidateIndex.build(input.workers, input.multiTaskEnabled), input.tasks, input.now);
}

/**
 * The same on candidates indexed beforehand, for a caller that keeps its index between batches
 * (CandidateIndex.build once, then withWorkers and afterReservations): the per-batch cost is then
 * the tasks' own work and one copy of the capacity counts. The index is left unchanged.
 */
export function matchBatchOn(index: CandidateIndex, tasks: readonly MatchingTask[], now: Date): BatchMatch {
  const matcher = new BatchMatcher(index, new BatchCandidates(index), { ...timeOfDayVariables(now) });

  const reservations: MatchedReservation[] = [];
  const waiting: TaskLeftWaiting[] = [];
  const duplicates: MatchingTask[] = [];
  const decided = new Set<string>();
  for (const task of [...tasks].sort(compareTurns)) {
    if (decided.has(task.taskSid)) {
      duplicates.push(task);
      continue;
    }
    decided.add(task.taskSid);
    const { workerSid, explanation, anyFreeCapacity } = matcher.decide(task);
    if (workerSid !== undefined) reservations.push({ task, workerSid, channel: task.channel, explanation });
    else waiting.push({ task, reason: anyFreeCapacity ? 'no-qualified-worker' : 'no-free-capacity', explanation });
  }
  return { reservations, waiting, duplicates };
}

/** Workers with free capacity passed over before the chosen one (or all of them), and why. */
interface PassedOver {
  declined: number;
  notQualified: number;
}

interface TaskDecision {
  readonly workerSid: string | undefined;
  readonly explanation: MatchExplanation;
  /** Some worker of the queue had free capacity on the task's channel when its turn came. */
  readonly anyFreeCapacity: boolean;
}

/** One batch's state between tasks: the capacity left and the expression answers remembered so far. */
class BatchMatcher {
  private readonly memo: ExpressionMemo;

  constructor(
    private readonly index: CandidateIndex,
    private readonly batch: BatchCandidates,
    private readonly taskrouter: Record<string, unknown>,
  ) {
    this.memo = new ExpressionMemo(index.size);
  }

  decide(task: MatchingTask): TaskDecision {
    const orderBy = task.target?.orderBy;
    const counts = { declined: 0, notQualified: 0 };
    const channel = this.index.channelIndex(task.channel);
    const ranked = this.index.ranked(task.queueSid, orderBy);
    if (channel < 0 || !ranked) return { workerSid: undefined, explanation: explanation(orderBy, counts), anyFreeCapacity: false };
    const declined = task.declinedWorkerSids?.length ? new Set(task.declinedWorkerSids) : undefined;
    const context: EvaluationContext = { task: task.attributes, taskrouter: this.taskrouter };
    let slot: number;
    let anyFreeCapacity: boolean;
    if (task.target && hasKnownWorkerRule(task.target)) {
      slot = this.pickKnownWorker(task, task.target, channel, declined, context, counts);
      const idle = this.batch.onChannel(this.index.ranked(task.queueSid, undefined) as Int32Array, channel);
      anyFreeCapacity = idle.firstWithCapacity(0) < idle.length;
    } else {
      slot = this.pickFromRanking(task, this.batch.onChannel(ranked, channel), declined, context, counts);
      anyFreeCapacity = slot >= 0 || counts.declined + counts.notQualified > 0;
    }
    if (slot < 0) return { workerSid: undefined, explanation: explanation(orderBy, counts), anyFreeCapacity };
    this.batch.reserve(slot, channel);
    return { workerSid: this.batch.workerSidOf(slot), explanation: explanation(orderBy, counts), anyFreeCapacity: true };
  }

  /** The first worker in rank order with free capacity who has not declined the task and passes its expression. */
  private pickFromRanking(task: MatchingTask, candidates: CapacitySkipList, declined: ReadonlySet<string> | undefined, context: EvaluationContext, counts: PassedOver): number {
    const expression = conditionOf(task);
    for (let position = candidates.firstWithCapacity(0); position < candidates.length; position = candidates.firstWithCapacity(position + 1)) {
      const slot = candidates.slotAt(position);
      if (declined?.has(this.batch.workerSidOf(slot))) counts.declined++;
      else if (expression && !this.passes(expression, slot, context)) counts.notQualified++;
      else return slot;
    }
    return -1;
  }

  /** Only the workers the task's attributes name can qualify: look them up instead of scanning the queue. */
  private pickKnownWorker(task: MatchingTask, target: WorkflowTarget, channel: number, declined: ReadonlySet<string> | undefined, context: EvaluationContext, counts: PassedOver): number {
    const reference = target.knownWorkerSid || target.knownWorkerFriendlyName || '';
    const value = knownWorkerValue(task.attributes, reference);
    if (typeof value !== 'string') return -1;
    const named = target.knownWorkerSid ? this.index.slotsWithSid(value) : this.index.slotsWithFriendlyName(value);
    const eligible = named.filter((slot) => this.index.isInQueue(slot, task.queueSid) && this.batch.ledger.freeOn(slot, channel) > 0 && isKnownWorker(target, task.attributes, this.index.workerAt(slot).facts));
    const expression = conditionOf(task);
    for (const slot of eligible.length > 1 ? this.index.rank(eligible, target.orderBy) : eligible) {
      if (declined?.has(this.batch.workerSidOf(slot))) counts.declined++;
      else if (expression && !this.passes(expression, slot, context)) counts.notQualified++;
      else return slot;
    }
    return -1;
  }

  private passes(expression: CompiledExpression, slot: number, context: EvaluationContext): boolean {
    const answers = this.memo.answersFor(expression);
    const known = answers ? answers[slot] : MEMO_UNKNOWN;
    if (known !== MEMO_UNKNOWN) return known === MEMO_TRUE;
    // One context per task, pointed at each worker in turn: no allocation per check.
    context.worker = this.batch.factsOf(slot);
    const answer = expression.evaluate(context);
    if (answers) answers[slot] = answer ? MEMO_TRUE : MEMO_FALSE;
    return answer;
  }
}

/** The target's worker expression, unless it is true for everyone. */
function conditionOf(task: MatchingTask): CompiledExpression | undefined {
  const expression = task.target?.expression;
  return expression && expression.constant !== true ? expression : undefined;
}

function explanation(orderBy: string | undefined, counts: PassedOver): MatchExplanation {
  return orderBy ? { orderBy, declined: counts.declined, notQualified: counts.notQualified } : { declined: counts.declined, notQualified: counts.notQualified };
}
