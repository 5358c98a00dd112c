import { DEFAULT_FILTER_INDEX, type RoutingStep, type WorkflowDefinition, type WorkflowTarget } from './workflow-definition';

export type RoutingOutcome =
  | { readonly kind: 'routed'; readonly step: RoutingStep; readonly target: WorkflowTarget; readonly filterName: string; readonly explanation: readonly string[] }
  | { readonly kind: 'fell-out'; readonly explanation: readonly string[] };

/**
 * What filter expressions may read besides the task: the `taskrouter.*` time-of-day variables,
 * computed by the caller from its clock (`timeOfDayVariables` in @taskrouter/expression).
 */
export interface RoutingContext {
  readonly taskrouter?: Record<string, unknown>;
}

/** Where a new (or re-evaluated) task enters its workflow: the first matching filter's first target. */
export function firstRoutingStep(workflow: WorkflowDefinition, taskAttributes: Record<string, unknown>, context: RoutingContext = {}): RoutingOutcome {
  return fromFilter(workflow, taskAttributes, 0, [], context);
}

/**
 * Where a task goes when its current target times out: the next target of the same filter,
 * else the first target of the next matching filter. The default filter "does not count as a
 * subsequent filter for the purposes of a timeout", so running out of filters is falling out;
 * but "tasks that skip a named filter still qualify for the default_filter" (`skipped`).
 */
export function nextRoutingStep(
  workflow: WorkflowDefinition,
  taskAttributes: Record<string, unknown>,
  current: RoutingStep,
  context: RoutingContext = {},
  cause: { skipped: boolean } = { skipped: false },
): RoutingOutcome {
  const explanation: string[] = [];
  if (current.filterIndex === DEFAULT_FILTER_INDEX) {
    return { kind: 'fell-out', explanation: ['the default filter has no further target'] };
  }
  const filter = workflow.filters[current.filterIndex];
  if (!filter) return { kind: 'fell-out', explanation: [`filter ${current.filterIndex} no longer exists in the workflow`] };
  const nextTargetIndex = current.targetIndex + 1;
  const nextTarget = filter.targets[nextTargetIndex];
  if (nextTarget) {
    explanation.push(`target ${current.targetIndex} of filter ${describe(filter.friendlyName, current.filterIndex)} ${cause.skipped ? 'was skipped (skip_if)' : 'timed out'}: moving to target ${nextTargetIndex}`);
    return routed({ filterIndex: current.filterIndex, targetIndex: nextTargetIndex }, nextTarget, filter.friendlyName, explanation);
  }
  explanation.push(`the last target of filter ${describe(filter.friendlyName, current.filterIndex)} ${cause.skipped ? 'was skipped (skip_if)' : 'timed out'}: trying the filters after it`);
  return fromFilter(workflow, taskAttributes, current.filterIndex + 1, explanation, context, { allowDefault: cause.skipped });
}

function fromFilter(
  workflow: WorkflowDefinition,
  taskAttributes: Record<string, unknown>,
  startIndex: number,
  explanation: string[],
  context: RoutingContext,
  options: { allowDefault: boolean } = { allowDefault: true },
): RoutingOutcome {
  for (let index = startIndex; index < workflow.filters.length; index++) {
    const filter = workflow.filters[index];
    if (filter.expression.evaluate({ task: taskAttributes, taskrouter: context.taskrouter })) {
      explanation.push(`filter ${describe(filter.friendlyName, index)} matched: ${filter.expression.source}`);
      return routed({ filterIndex: index, targetIndex: 0 }, filter.targets[0], filter.friendlyName, explanation);
    }
    explanation.push(`filter ${describe(filter.friendlyName, index)} did not match: ${filter.expression.source}`);
  }
  if (options.allowDefault && workflow.defaultFilter) {
    explanation.push('no filter matched: using the default filter');
    return routed({ filterIndex: DEFAULT_FILTER_INDEX, targetIndex: 0 }, workflow.defaultFilter, 'default_filter', explanation);
  }
  explanation.push(options.allowDefault ? 'no filter matched and there is no default filter' : 'no later filter matched');
  return { kind: 'fell-out', explanation };
}

function routed(step: RoutingStep, target: WorkflowTarget, filterName: string, explanation: string[]): RoutingOutcome {
  explanation.push(`entering queue ${target.queueSid}${target.priority !== undefined ? ` with priority ${target.priority}` : ''}${target.timeout !== undefined ? ` for up to ${target.timeout}s` : ''}`);
  return { kind: 'routed', step, target, filterName, explanation };
}

function describe(friendlyName: string, index: number): string {
  return friendlyName ? `'${friendlyName}' (#${index})` : `#${index}`;
}
