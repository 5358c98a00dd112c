// What a key names. The rules, in order:
//   1. `task.x`, `worker.x`, `taskrouter.x`, `workers.x` (a reserved root followed by a
//      `.name`) name that scope explicitly, wherever the expression is used.
//   2. Any other key is a bare key and names the bare-key scope of the place (worker
//      attributes in a queue's target_workers, task attributes in a workflow filter...).
//   3. Inside the worker scope, `sid`, `friendly_name`, `activity_sid` and `activity_name`
//      alone name the worker's own fields, `channel.<name>.<field>...` names its channel
//      state (multitasking), and everything else names its attributes.
import type { PathSegment } from './ast';
import { WORKER_FIELDS, type BareKeyScope, type ReadScope, type WorkerField } from './context';

/** Where the value is found in an EvaluationContext. */
export type KeySource = 'task' | 'workerAttributes' | 'workerField' | 'workerChannels' | 'taskrouter' | 'workers';

export interface ResolvedKey {
  readonly scope: ReadScope;
  readonly source: KeySource;
  /** Path inside the source (for workerField: the field name alone). */
  readonly sourcePath: readonly PathSegment[];
  /** Path inside the scope, as reported by `reads` (keeps `channel.` for channel state). */
  readonly scopePath: readonly PathSegment[];
}

const ROOTS: ReadonlySet<string> = new Set<ReadScope>(['task', 'worker', 'taskrouter', 'workers']);
const WORKER_FIELD_NAMES: ReadonlySet<string> = new Set<string>(WORKER_FIELDS);

export function resolveKey(path: readonly PathSegment[], bareKeys: BareKeyScope): ResolvedKey {
  const first = path[0];
  const hasExplicitRoot = typeof first === 'string' && ROOTS.has(first) && path.length >= 2 && typeof path[1] === 'string';
  const scope: ReadScope = hasExplicitRoot ? (first as ReadScope) : bareKeys;
  const scopePath = hasExplicitRoot ? path.slice(1) : path;
  switch (scope) {
    case 'task':
    case 'taskrouter':
    case 'workers':
      return { scope, source: scope, sourcePath: scopePath, scopePath };
    case 'worker':
      return resolveWorkerKey(scopePath);
  }
}

function resolveWorkerKey(scopePath: readonly PathSegment[]): ResolvedKey {
  const first = scopePath[0];
  if (scopePath.length === 1 && typeof first === 'string' && WORKER_FIELD_NAMES.has(first)) {
    return { scope: 'worker', source: 'workerField', sourcePath: [first as WorkerField], scopePath };
  }
  if (first === 'channel' && scopePath.length >= 3 && typeof scopePath[1] === 'string' && typeof scopePath[2] === 'string') {
    return { scope: 'worker', source: 'workerChannels', sourcePath: scopePath.slice(1), scopePath };
  }
  return { scope: 'worker', source: 'workerAttributes', sourcePath: scopePath, scopePath };
}
