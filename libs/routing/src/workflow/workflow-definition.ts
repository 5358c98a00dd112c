import type { CompiledExpression } from '@taskrouter/expression';

/** One routing step of a filter, with TaskRouter's inheritance already applied (the queue). */
export interface WorkflowTarget {
  readonly queueSid: string;
  /** Overrides the task's priority when set. */
  readonly priority?: number;
  /** Seconds the task may wait in this step; absent means it waits until assignment or TTL. */
  readonly timeout?: number;
  readonly expression?: CompiledExpression;
  readonly orderBy?: string;
  readonly skipIf?: CompiledExpression;
  readonly knownWorkerSid?: string;
  readonly knownWorkerFriendlyName?: string;
}

export interface WorkflowFilter {
  readonly friendlyName: string;
  readonly expression: CompiledExpression;
  readonly targets: readonly WorkflowTarget[];
}

export interface WorkflowDefinition {
  readonly filters: readonly WorkflowFilter[];
  readonly defaultFilter?: WorkflowTarget;
  /** Every queue the configuration names, to check they exist in the workspace. */
  readonly queueSids: readonly string[];
}

/** Where a task stands in its workflow: `filterIndex` -1 is the default filter. */
export interface RoutingStep {
  readonly filterIndex: number;
  readonly targetIndex: number;
}

export const DEFAULT_FILTER_INDEX = -1;
