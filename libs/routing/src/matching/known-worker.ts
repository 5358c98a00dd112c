import type { WorkerFacts } from '@taskrouter/expression';
import type { WorkflowTarget } from '../workflow/workflow-definition';

/** `known_worker_sid: "task.agent_sid"` names a task attribute holding the worker's SID (or friendly name). */
export function knownWorkerValue(attributes: Record<string, unknown>, reference: string): unknown {
  const path = reference.replace(/^task\./, '').split('.');
  let value: unknown = attributes;
  // Own properties only: a path through `constructor` must not reach Object's members.
  for (const key of path) value = typeof value === 'object' && value !== null && Object.hasOwn(value, key) ? (value as Record<string, unknown>)[key] : undefined;
  return value;
}

export function hasKnownWorkerRule(target: WorkflowTarget | undefined): boolean {
  return Boolean(target?.knownWorkerSid || target?.knownWorkerFriendlyName);
}

/** The worker the task's attributes name, by SID or friendly name; true when the target names none. */
export function isKnownWorker(target: WorkflowTarget | undefined, taskAttributes: Record<string, unknown>, worker: WorkerFacts): boolean {
  if (target?.knownWorkerSid && worker.sid !== knownWorkerValue(taskAttributes, target.knownWorkerSid)) return false;
  if (target?.knownWorkerFriendlyName && worker.friendly_name !== knownWorkerValue(taskAttributes, target.knownWorkerFriendlyName)) return false;
  return true;
}
