// Compiles a resolved key into a closure that fetches its value from a context. Missing
// anything along the way (no task, a string where an object was expected, an index past
// the end) gives undefined, which the type rules treat as null. Names only step into plain
// objects and indexes only into arrays, so `skills.length` is null, not a count.
import type { PathSegment } from './ast';
import type { EvaluationContext } from './context';
import type { ResolvedKey } from './scope';

export type ValueReader = (context: EvaluationContext) => unknown;
type Step = (value: unknown) => unknown;

const hasOwn = Object.prototype.hasOwnProperty;

function readName(value: unknown, name: string): unknown {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>)[name] : undefined;
}

/** For names that plain objects inherit (`constructor`, `toString`, `__proto__`...): only own properties count. */
function readOwnName(value: unknown, name: string): unknown {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && hasOwn.call(value, name)
    ? (value as Record<string, unknown>)[name]
    : undefined;
}

function readIndex(value: unknown, index: number): unknown {
  return Array.isArray(value) ? value[index] : undefined;
}

function isInherited(name: string): boolean {
  return name in Object.prototype;
}

function stepFor(segment: PathSegment): Step {
  if (typeof segment === 'number') return (value) => readIndex(value, segment);
  if (isInherited(segment)) return (value) => readOwnName(value, segment);
  return (value) => readName(value, segment);
}

function rootFor(key: ResolvedKey): ValueReader {
  switch (key.source) {
    case 'task':
      return (context) => context.task;
    case 'taskrouter':
      return (context) => context.taskrouter;
    case 'workers':
      return (context) => context.workers;
    case 'workerAttributes':
      return (context) => context.worker?.attributes;
    case 'workerChannels':
      return (context) => context.worker?.channels;
    case 'workerField': {
      const field = key.sourcePath[0] as string;
      // A plain read: WorkerFacts may be a class instance with these as getters.
      return (context) => (context.worker as unknown as Record<string, unknown> | undefined)?.[field];
    }
  }
}

export function compileKeyReader(key: ResolvedKey): ValueReader {
  const root = rootFor(key);
  const path = key.source === 'workerField' ? [] : key.sourcePath;

  // The common case, one ordinary name (`type`, `skills`), reads without any step call.
  if (path.length === 1 && typeof path[0] === 'string' && !isInherited(path[0])) {
    const name = path[0];
    switch (key.source) {
      case 'task':
        return (context) => readName(context.task, name);
      case 'workerAttributes':
        return (context) => readName(context.worker?.attributes, name);
      default:
        return (context) => readName(root(context), name);
    }
  }

  const steps = path.map(stepFor);
  switch (steps.length) {
    case 0:
      return root;
    case 1: {
      const [first] = steps;
      return (context) => first(root(context));
    }
    case 2: {
      const [first, second] = steps;
      return (context) => second(first(root(context)));
    }
    default:
      return (context) => {
        let value = root(context);
        for (let i = 0; i < steps.length && value !== undefined; i++) value = steps[i](value);
        return value;
      };
  }
}
