// What an expression is evaluated against. The caller assembles it; the library never
// reads a clock or a store.

/** Which document a key without a `task.`/`worker.` prefix names. */
export type BareKeyScope = 'task' | 'worker';

/** The worker fields an expression can name besides the worker's attributes. */
export const WORKER_FIELDS = ['sid', 'friendly_name', 'activity_sid', 'activity_name'] as const;
export type WorkerField = (typeof WORKER_FIELDS)[number];

/** What `worker.` (and bare keys in worker scope) can see. */
export interface WorkerFacts {
  sid?: string;
  friendly_name?: string;
  activity_sid?: string;
  activity_name?: string;
  attributes: Record<string, unknown>;
  /** `worker.channel.<name>.<field>` in multitasking: available, available_capacity_percentage, configured_capacity, assigned_tasks. */
  channels?: Record<string, Record<string, unknown>>;
}

export interface EvaluationContext {
  /** The task's attributes. */
  task?: Record<string, unknown>;
  worker?: WorkerFacts;
  /** Time-of-day variables (`taskrouter.dayOfWeek`, ...), see timeOfDayVariables(). */
  taskrouter?: Record<string, unknown>;
  /** skip_if counts: `workers.available`, `workers.unavailable`, `workers.<ActivitySid>`. */
  workers?: Record<string, unknown>;
}

export type ReadScope = 'task' | 'worker' | 'taskrouter' | 'workers';

export interface ExpressionRead {
  readonly scope: ReadScope;
  /** Path inside the scope, printed like a key: `skills`, `object.array[2]`, `sid`, `channel.voice.assigned_tasks`. */
  readonly path: string;
}
