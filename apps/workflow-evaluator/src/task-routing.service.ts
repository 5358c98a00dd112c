import { decideTask, type RouteTask, type TaskState } from '@taskrouter/domain';
import { timeOfDayVariables } from '@taskrouter/expression';
import { firstRoutingStep, nextRoutingStep, type RoutingContext, type RoutingOutcome } from '@taskrouter/routing';
import { appendTo, runDecision, type AggregateStore, type WorkflowDefinitions } from '@taskrouter/runtime';
import type { StreamAppend } from '@taskrouter/event-store';

export interface TaskTrigger {
  readonly workspaceSid: string;
  readonly taskSid: string;
  /** The task stream version of the triggering event. */
  readonly triggerVersion: number;
  /**
   * The decision must read the workflow at this version or later: the version a task's creation
   * saw (read-your-writes for configuration), or the update that asked for re-evaluation.
   */
  readonly minWorkflowVersion?: number;
}

/**
 * The workflow-evaluator's one decision: which queue, priority and step a task is in.
 * Every entry point is idempotent: a redelivered trigger meets `routedForVersion` and
 * decides nothing.
 */
export class TaskRoutingService {
  constructor(
    private readonly aggregates: AggregateStore,
    private readonly definitions: WorkflowDefinitions,
    private readonly append: (appends: StreamAppend[]) => Promise<unknown>,
    private readonly clock: () => Date,
  ) {}

  /** A new task, or a pending task whose attributes changed: from the first filter. */
  routeFromStart(trigger: TaskTrigger): Promise<void> {
    return this.route(trigger, (definition, task, context) => firstRoutingStep(definition, task.attributes, context));
  }

  /**
   * `ReEvaluateTasks`: the workflow changed, and its pending tasks routed under an older version
   * go through it again from the first filter. A redelivered update finds them routed already.
   */
  async reEvaluate(workspaceSid: string, workflowVersion: number, taskSids: readonly string[]): Promise<void> {
    for (const taskSid of taskSids) {
      const task = await this.aggregates.load('task', taskSid);
      const routedUnder = task.state.routing?.workflowVersion ?? 0;
      if (task.state.status !== 'pending' || routedUnder >= workflowVersion) continue;
      await this.routeFromStart({ workspaceSid, taskSid, triggerVersion: task.version, minWorkflowVersion: workflowVersion });
    }
  }

  /** The current step timed out or was skipped (or a reservation ended after it timed out): the next step. */
  routeToNextStep(trigger: TaskTrigger, onlyIfStepExpired: boolean, skipped = false): Promise<void> {
    return this.route(trigger, (definition, task, context) => {
      if (!task.routing || (onlyIfStepExpired && !task.routing.stepExpired)) return null;
      return nextRoutingStep(definition, task.attributes, task.routing.step, context, { skipped });
    });
  }

  private route(trigger: TaskTrigger, choose: (definition: ReturnType<WorkflowDefinitions['of']>, task: TaskState, context: RoutingContext) => RoutingOutcome | null): Promise<void> {
    return runDecision(async () => {
      const task = await this.aggregates.load('task', trigger.taskSid);
      if (!task.state.exists || task.state.status !== 'pending') return { appends: [], result: undefined };
      const [workspace, recentWorkflow] = await Promise.all([
        this.aggregates.loadRecent('workspace', trigger.workspaceSid), this.aggregates.loadRecent('workflow', task.state.workflowSid),
      ]);
      const workflow = recentWorkflow.version >= (trigger.minWorkflowVersion ?? 0) ? recentWorkflow : await this.aggregates.load('workflow', task.state.workflowSid);
      const now = this.clock();
      // Time-of-day routing: TaskRouter's taskrouter.* variables are in UTC.
      const context: RoutingContext = { taskrouter: { ...timeOfDayVariables(now) } };
      const outcome = workflow.state.exists ? choose(this.definitions.of(workflow.state), task.state, context) : ({ kind: 'fell-out', explanation: ['the workflow was deleted'] } as const);
      if (!outcome) return { appends: [], result: undefined };
      const command: RouteTask = { type: 'RouteTask', triggerVersion: trigger.triggerVersion, outcome: toRouteOutcome(outcome, workflow.version) };
      const events = decideTask(command, task.state, workspace.state, now);
      return { appends: [appendTo(task, events, { workspaceSid: trigger.workspaceSid, source: 'workflow-evaluator', causationVersion: trigger.triggerVersion })], result: undefined };
    }, this.append, undefined, undefined, 'routing');
  }
}

function toRouteOutcome(outcome: RoutingOutcome, workflowVersion: number): RouteTask['outcome'] {
  if (outcome.kind === 'fell-out') return { kind: 'fell-out', explanation: outcome.explanation };
  const { target } = outcome;
  return {
    kind: 'routed', step: outcome.step, filterName: outcome.filterName, queueSid: target.queueSid,
    priority: target.priority, timeout: target.timeout, explanation: outcome.explanation, workflowVersion,
    target: {
      queue: target.queueSid, expression: target.expression?.source, orderBy: target.orderBy, skipIf: target.skipIf?.source,
      knownWorkerSid: target.knownWorkerSid, knownWorkerFriendlyName: target.knownWorkerFriendlyName,
    },
  };
}
