import type { WorkerFacts } from '@taskrouter/expression';
import type { WorkflowTarget } from '../workflow/workflow-definition';
import { hasKnownWorkerRule, isKnownWorker } from './known-worker';

/** The target checks something on the worker itself: its expression or a known-worker rule. */
export function hasWorkerConditions(target: WorkflowTarget | undefined): boolean {
  return Boolean(target?.expression) || hasKnownWorkerRule(target);
}

/**
 * Whether one worker qualifies for a task's target: the worker expression (with the time-of-day
 * variables) and the known-worker rule. The queue-matcher's test for one worker, task by task.
 */
export function qualifies(target: WorkflowTarget | undefined, taskAttributes: Record<string, unknown>, worker: WorkerFacts, taskrouter: Record<string, unknown>): boolean {
  if (!target) return true;
  if (target.expression && !target.expression.evaluate({ task: taskAttributes, worker, taskrouter })) return false;
  return isKnownWorker(target, taskAttributes, worker);
}
