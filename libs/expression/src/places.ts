// Where TaskRouter uses expressions, and what bare keys name in each place. Callers pass
// `{ bareKeys: EXPRESSION_PLACES.queueTargetWorkers.bareKeys }` rather than remembering.
import type { BareKeyScope } from './context';

export interface ExpressionPlace {
  readonly bareKeys: BareKeyScope;
  /** What an absent (or blank, where allowed) expression means; undefined: the field is required. */
  readonly whenAbsent?: boolean;
}

export const EXPRESSION_PLACES = {
  /** TaskQueue TargetWorkers: bare keys are worker attributes. Absent at create means `1==1` (the API stores the default); set empty, it matches no worker. */
  queueTargetWorkers: { bareKeys: 'worker', whenAbsent: false },
  /** GET /Workers?TargetWorkersExpression=: worker attributes plus sid, friendly_name, activity_sid, activity_name. */
  targetWorkersExpression: { bareKeys: 'worker' },
  /** Workflow filter `expression`: task attributes; required. */
  workflowFilter: { bareKeys: 'task' },
  /** Workflow target `expression`: `task.`/`worker.` prefixed; bare keys are read as worker attributes. Absent: every queue worker qualifies. */
  workflowTarget: { bareKeys: 'worker', whenAbsent: true },
  /** Workflow target `skip_if`: `workers.*` counts (bare keys: task attributes). Absent: never skip. */
  skipIf: { bareKeys: 'task', whenAbsent: false },
  /** GET /Tasks?EvaluateTaskAttributes=: task attributes. */
  evaluateTaskAttributes: { bareKeys: 'task' },
} as const satisfies Record<string, ExpressionPlace>;
