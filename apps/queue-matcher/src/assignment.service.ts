import type { AvailabilityIndex, NonCandidate, WorkerCandidate, WorkerOpenings } from '@taskrouter/availability';
import {
  ConsideredWorkers, DomainError, MAX_CONSIDERED_WORKERS, decideTask, reserveWorker,
  type ChoiceRule, type PassedOverReason, type ReservationChoice, type TaskState,
} from '@taskrouter/domain';
import type { StreamAppend } from '@taskrouter/event-store';
import { timeOfDayVariables, type WorkerFacts } from '@taskrouter/expression';
import { parseOrderBy, parseWorkflowTarget, rankWorkers, type WorkflowTarget } from '@taskrouter/routing';
import { appendTo, processMetrics, runDecision, taskAndWorkerAppends, workerFactsOf, type AggregateStore, type Loaded, type WorkflowDefinitions } from '@taskrouter/runtime';
import type { QueueWorkerCounts } from './queue-worker-counts';
import { WAITING_TASKS_PER_QUEUE } from './waiting-tasks-per-queue';

/** Without worker conditions the longest-idle candidate almost always takes the task. */
const CANDIDATES_PER_ATTEMPT = 50;
/** With a worker expression or a known worker, look much further down the idle list. */
const CANDIDATES_WITH_CONDITIONS = 1_000;
const MAX_COMPILED_TARGETS = 10_000;

/**
 * The queue-matcher's decision: which available, qualified worker gets a waiting task.
 * Redis proposes (candidates, and one atomic reserve of capacity); the Postgres append of
 * TaskReserved + WorkerReserved, each at the version read, decides. When the append loses,
 * the capacity goes back to Redis.
 */
export class AssignmentService {
  private readonly compiledTargets = new Map<string, WorkflowTarget>();

  constructor(
    private readonly aggregates: AggregateStore,
    private readonly availability: AvailabilityIndex,
    private readonly definitions: WorkflowDefinitions,
    private readonly append: (appends: StreamAppend[]) => Promise<unknown>,
    private readonly clock: () => Date,
    private readonly newSid: (prefix: string) => string,
    private readonly queueWorkers: QueueWorkerCounts,
  ) {}

  /**
   * Offers a task that is (again) waiting to the best candidate; otherwise it waits in its queue.
   * `enteredAtVersion`: the task stream version of the TaskRouted being answered. When the task
   * is still at that version it has just entered the step, and the step's `skip_if` applies if
   * no worker can be reserved at once; a redelivered TaskRouted finds a later version and skips nothing.
   */
  async matchTask(workspaceSid: string, taskSid: string, options: { enteredAtVersion?: number } = {}): Promise<void> {
    const task = await this.aggregates.load('task', taskSid);
    const routing = task.state.routing;
    if (!routing || !isWaiting(task.state)) {
      if (routing) await this.availability.removeTask(workspaceSid, routing.queueSid, taskSid);
      return;
    }
    const target = await this.targetOf(task.state);
    const justEntered = options.enteredAtVersion !== undefined && task.version === options.enteredAtVersion;
    const skipIfApplies = justEntered && Boolean(target?.skipIf);
    const waitingTask = { taskSid, priority: task.state.priority, enteredAt: Date.parse(routing.enteredAt), channel: task.state.channel };
    // One Redis step looks for candidates and, finding none, enqueues the task (unless skip_if must
    // be decided first): a worker freed after it finds the task waiting, one freed before was a candidate.
    // With candidates, the same step answers a few queue members that are not (for the explanation).
    const first = await this.availability.offerTask(workspaceSid, routing.queueSid, waitingTask, candidateLimit(target), {
      waitIfNone: !skipIfApplies, othersLimit: MAX_CONSIDERED_WORKERS - 1,
    });
    if (first.waiting) return;
    // With candidates the task left the waiting list: a reservation needs no removal after it.
    if ((await this.offer(workspaceSid, task, target, first.candidates, first.nonCandidates)) !== 'waiting') return;
    if (skipIfApplies && target && (await this.skips(workspaceSid, task.state, target))) return;
    await this.availability.enqueueTask(workspaceSid, routing.queueSid, waitingTask);
    // A worker may have become free while we looked, and looked at the waiting list before the
    // task was on it: both sides publish first and check after, so one of them sees the other.
    const candidates = await this.availability.candidates(workspaceSid, routing.queueSid, task.state.channel, candidateLimit(target));
    if ((await this.offer(workspaceSid, task, target, candidates, [])) === 'reserved') await this.availability.removeTask(workspaceSid, routing.queueSid, taskSid);
  }

  /**
   * Tries the candidates in order (those that qualify); 'waiting' when none could be reserved.
   * Each attempt carries what was known (ConsideredWorkers: at most a few entries, whatever the
   * number of candidates) and the rule that ranked them.
   */
  private async offer(
    workspaceSid: string, task: Loaded<TaskState>, target: WorkflowTarget | undefined, candidates: readonly WorkerCandidate[], nonCandidates: readonly NonCandidate[],
  ): Promise<'reserved' | 'task-gone' | 'waiting'> {
    const considered = new ConsideredWorkers();
    const declined = declinedBefore(task.state);
    const ranked = await this.qualified(task.state, target, candidates.map((c) => c.workerSid), considered, declined);
    // A worker who declined this task is named for that, even when the index has not seen its capacity come back yet.
    for (const other of nonCandidates) considered.passOver(other.workerSid, declined.get(other.workerSid) ?? other.reason);
    const rule = rankingRule(target);
    for (let i = 0; i < ranked.length; i += 1) {
      const workerSid = ranked[i];
      const choice = considered.choose(rule, workerSid, {
        orderBy: target?.orderBy, rankedAfter: ranked.slice(i + 1, i + MAX_CONSIDERED_WORKERS), rankedAfterCount: ranked.length - i - 1,
      });
      const outcome = await this.tryReserve(workspaceSid, task, workerSid, target, choice);
      if (outcome !== 'worker-unavailable') return outcome;
      considered.passOver(workerSid, 'reserved_meanwhile');
    }
    return 'waiting';
  }

  /**
   * A worker gained capacity or availability: offer it the best waiting tasks of its queues.
   * `openings`: what the index answered for the worker a moment ago (with its upsert); without
   * them, they are read now.
   */
  async matchWorker(workspaceSid: string, workerSid: string, openings?: WorkerOpenings): Promise<void> {
    const { worker: entry, waiting } = openings ?? (await this.availability.openings(workspaceSid, workerSid, WAITING_TASKS_PER_QUEUE));
    if (!entry || !entry.available || waiting.length === 0) return;
    // Across queues (DOCS SILENT): highest priority first, then the longest waiting.
    const ordered = [...waiting].sort((a, b) => b.priority - a.priority || a.enteredAt - b.enteredAt);
    const free = new Map(Object.entries(entry.channels).map(([name, c]) => [name, c.available ? c.capacity - c.assigned : 0]));
    for (const waitingTask of ordered) {
      if ((free.get(waitingTask.channel) ?? 0) <= 0) continue;
      const task = await this.aggregates.load('task', waitingTask.taskSid);
      if (!isWaiting(task.state) || task.state.routing?.queueSid !== waitingTask.queueSid) {
        await this.availability.removeTask(workspaceSid, waitingTask.queueSid, waitingTask.taskSid);
        continue;
      }
      const target = await this.targetOf(task.state);
      const [qualified] = await this.qualified(task.state, target, [workerSid]);
      if (!qualified) continue;
      const choice = new ConsideredWorkers().choose(target?.knownWorkerSid || target?.knownWorkerFriendlyName ? 'known_worker' : 'next_available', workerSid);
      const outcome = await this.tryReserve(workspaceSid, task, workerSid, target, choice);
      if (outcome === 'reserved') {
        await this.availability.removeTask(workspaceSid, waitingTask.queueSid, waitingTask.taskSid);
        free.set(waitingTask.channel, (free.get(waitingTask.channel) ?? 0) - 1);
      } else if (outcome === 'worker-unavailable') {
        return;
      }
    }
  }

  /** TaskRouter's Skip Timeout: evaluated over the counts of the step queue's workers by activity. */
  private async skips(workspaceSid: string, task: TaskState, target: WorkflowTarget): Promise<boolean> {
    const routing = task.routing!;
    const workers = await this.queueWorkers.countsOf(workspaceSid, routing.queueSid);
    const context = { task: task.attributes, workers, taskrouter: this.timeOfDay() };
    if (!target.skipIf!.evaluate(context)) return false;
    await runDecision(async () => {
      const [fresh, workspace] = await Promise.all([this.aggregates.load('task', task.taskSid), this.aggregates.loadRecent('workspace', workspaceSid)]);
      const events = decideTask({ type: 'TimeOutTarget', step: routing.step, enteredAt: routing.enteredAt, reason: 'skip_if' }, fresh.state, workspace.state, this.clock());
      return { appends: [appendTo(fresh, events, { workspaceSid, source: 'queue-matcher', skipIf: target.skipIf!.source })], result: undefined };
    }, this.append, undefined, undefined, 'skip-target');
    return true;
  }

  /**
   * Reserves `workerSid` for the task as it was seen (same step, same entry). The decision
   * re-checks the worker's qualification on the versions it appends at: an attribute change
   * or a step change between looking and deciding refuses the reservation. The first attempt
   * decides on the task as it was just loaded (its append still expects that version); a lost
   * version race reads it again.
   */
  private async tryReserve(
    workspaceSid: string, loaded: Loaded<TaskState>, workerSid: string, target: WorkflowTarget | undefined, choice: ReservationChoice,
  ): Promise<'reserved' | 'task-gone' | 'worker-unavailable'> {
    const seen = loaded.state;
    const routing = seen.routing!;
    if (!(await this.availability.reserve(workspaceSid, workerSid, seen.channel))) return 'worker-unavailable';
    const sameEntry = (task: TaskState) => task.routing?.enteredAt === routing.enteredAt && task.routing.step.filterIndex === routing.step.filterIndex && task.routing.step.targetIndex === routing.step.targetIndex;
    let justLoaded: Loaded<TaskState> | undefined = loaded;
    // The task as the last attempt read it from the log (not the state it started from).
    let lastRead: TaskState | undefined;
    try {
      await runDecision(async () => {
        const task = justLoaded ?? (await this.aggregates.load('task', seen.taskSid));
        if (!justLoaded) lastRead = task.state;
        justLoaded = undefined;
        // After a lost race the task is mostly reserved by the winner: found so, the worker is not read.
        if (!isWaiting(task.state) || !sameEntry(task.state)) throw new DomainError('conflict', 'the task moved on or to another step');
        const [worker, workspace] = await Promise.all([this.aggregates.load('worker', workerSid), this.aggregates.loadRecent('workspace', workspaceSid)]);
        if (worker.state.exists && this.disqualification(task.state, target, workerFactsOf(worker.state), this.timeOfDay())) throw new DomainError('conflict', 'the worker no longer qualifies');
        const workflow = await this.aggregates.loadRecent('workflow', task.state.workflowSid);
        const decided = reserveWorker(
          { reservationSid: this.newSid('WR'), queueSid: routing.queueSid, reservationTimeout: workflow.state.taskReservationTimeout, choice },
          task.state, worker.state, workspace.state, this.clock(),
        );
        return { appends: taskAndWorkerAppends(task, worker, decided, { workspaceSid, source: 'queue-matcher' }), result: undefined };
        // The worker, workspace and workflow may come from the cache (the matcher follows worker
        // events): the append checks the versions it decided on.
      }, this.append, undefined, this.aggregates, 'reservation');
      // The wait the task's requester sees: from its creation to this reservation.
      processMetrics.creationToReservation.record(Math.max(0, this.clock().getTime() - Date.parse(seen.createdAt)) / 1000);
      return 'reserved';
    } catch (error) {
      await this.availability.release(workspaceSid, workerSid, seen.channel);
      if (!(error instanceof DomainError)) throw error;
      // A refusal on a state read from the log a moment ago stands; one on the state we started from is checked.
      const fresh = lastRead ?? (await this.aggregates.load('task', seen.taskSid)).state;
      return isWaiting(fresh) && sameEntry(fresh) ? 'worker-unavailable' : 'task-gone';
    }
  }

  /** Why the target's worker expression (with time of day) or known-worker rule refuses one worker; null when it qualifies. */
  private disqualification(task: TaskState, target: WorkflowTarget | undefined, worker: WorkerFacts, taskrouter: Record<string, unknown>): PassedOverReason | null {
    if (!target) return null;
    if (target.expression && !target.expression.evaluate({ task: task.attributes, worker, taskrouter })) return 'worker_expression_false';
    if (target.knownWorkerSid && worker.sid !== valueAt(task.attributes, target.knownWorkerSid)) return 'not_known_worker';
    if (target.knownWorkerFriendlyName && worker.friendly_name !== valueAt(task.attributes, target.knownWorkerFriendlyName)) return 'not_known_worker';
    return null;
  }

  /** The `taskrouter.*` variables, computed once per decision rather than per worker checked. */
  private timeOfDay(): Record<string, unknown> {
    return { ...timeOfDayVariables(this.clock()) };
  }

  /** The task's target as it was routed (compiled once per distinct target), else from the workflow. */
  private async targetOf(task: TaskState): Promise<WorkflowTarget | undefined> {
    if (!task.routing) return undefined;
    const routed = task.routing.target;
    if (routed) {
      const key = JSON.stringify(routed);
      let compiled = this.compiledTargets.get(key);
      if (!compiled) {
        compiled = parseWorkflowTarget({
          queue: routed.queue, expression: routed.expression, order_by: routed.orderBy, skip_if: routed.skipIf,
          known_worker_sid: routed.knownWorkerSid, known_worker_friendly_name: routed.knownWorkerFriendlyName,
        });
        if (this.compiledTargets.size >= MAX_COMPILED_TARGETS) this.compiledTargets.delete(this.compiledTargets.keys().next().value as string);
        this.compiledTargets.set(key, compiled);
      }
      return compiled;
    }
    const workflow = await this.aggregates.loadRecent('workflow', task.workflowSid);
    if (!workflow.state.exists) return undefined;
    const definition = this.definitions.of(workflow.state);
    const { filterIndex, targetIndex } = task.routing.step;
    return filterIndex < 0 ? definition.defaultFilter : definition.filters[filterIndex]?.targets[targetIndex];
  }

  /**
   * Candidates that pass the target's worker expression and known-worker rule, ranked by
   * `order_by` then longest idle. A worker who already rejected or let this task time out is
   * not offered it again (docs/taskrouter-choices.md). Those left out are noted in `considered` with why.
   */
  private async qualified(
    task: TaskState, target: WorkflowTarget | undefined, workerSids: string[], considered?: ConsideredWorkers, declined = declinedBefore(task),
  ): Promise<string[]> {
    const notDeclined = declined.size === 0 ? workerSids : workerSids.filter((sid) => {
      const reason = declined.get(sid);
      if (reason) considered?.passOver(sid, reason);
      return !reason;
    });
    if (!hasWorkerConditions(target) && !target?.orderBy) {
      // Nothing to check on the workers themselves: the index's longest-idle order stands.
      return notDeclined;
    }
    const loaded = await Promise.all(notDeclined.map((sid) => this.aggregates.load('worker', sid)));
    const facts: Array<{ workerSid: string; facts: WorkerFacts; idleSince: number }> = loaded
      .filter((w) => w.state.exists)
      .map((w) => ({ workerSid: w.state.workerSid, facts: workerFactsOf(w.state), idleSince: Date.parse(w.state.idleSince) }));
    const taskrouter = this.timeOfDay();
    const passing = facts.filter(({ workerSid, facts: worker }) => {
      const reason = this.disqualification(task, target, worker, taskrouter);
      if (reason) considered?.passOver(workerSid, reason);
      return !reason;
    });
    const clauses = target?.orderBy ? parseOrderBy(target.orderBy) : [];
    return rankWorkers(passing.map((p) => ({ workerSid: p.workerSid, attributes: p.facts.attributes, idleSince: p.idleSince })), clauses).map((w) => w.workerSid);
  }
}

/** The rule that ranks a target's qualified candidates. */
function rankingRule(target: WorkflowTarget | undefined): ChoiceRule {
  if (target?.knownWorkerSid || target?.knownWorkerFriendlyName) return 'known_worker';
  return target?.orderBy ? 'order_by' : 'longest_idle';
}

const DECLINED_REASONS: Partial<Record<string, PassedOverReason>> = { rejected: 'rejected_before', timeout: 'timed_out_before', canceled: 'canceled_before' };

/** Workers whose reservation of this task was rejected, timed out or canceled, with that outcome. */
function declinedBefore(task: TaskState): Map<string, PassedOverReason> {
  const declined = new Map<string, PassedOverReason>();
  for (const reservation of Object.values(task.reservations)) {
    const reason = DECLINED_REASONS[reservation.status];
    if (reason) declined.set(reservation.workerSid, reason);
  }
  return declined;
}

function candidateLimit(target: WorkflowTarget | undefined): number {
  return hasWorkerConditions(target) ? CANDIDATES_WITH_CONDITIONS : CANDIDATES_PER_ATTEMPT;
}

function hasWorkerConditions(target: WorkflowTarget | undefined): boolean {
  return Boolean(target?.expression || target?.knownWorkerSid || target?.knownWorkerFriendlyName);
}

function isWaiting(task: TaskState): boolean {
  return task.exists && task.status === 'pending' && task.routing !== null && !task.routing.stepExpired;
}

/** `known_worker_sid: "task.agent_sid"` names a task attribute holding the worker's SID. */
function valueAt(attributes: Record<string, unknown>, reference: string): unknown {
  const path = reference.replace(/^task\./, '').split('.');
  let value: unknown = attributes;
  // Own properties only: a path through `constructor` must not reach Object's members.
  for (const key of path) value = typeof value === 'object' && value !== null && Object.hasOwn(value, key) ? (value as Record<string, unknown>)[key] : undefined;
  return value;
}
