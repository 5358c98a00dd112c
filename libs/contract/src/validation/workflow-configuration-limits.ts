import { badRequest } from '../errors/taskrouter-error';

/** Filter names are friendly names: TaskRouter's 64 characters. */
export const MAX_FILTER_NAME_LENGTH = 64;
/** Every expression in a workflow, as a TaskQueue's `TargetWorkers`. */
export const MAX_EXPRESSION_LENGTH = 4_096;

const TARGET_TEXT_KEYS = ['expression', 'skip_if', 'order_by', 'known_worker_sid', 'known_worker_friendly_name'] as const;

/**
 * Bounds the strings of a workflow `Configuration` that routing copies into its events: the
 * matched filter's name is recorded beside the explanation that already names it, and each
 * target's expressions travel with the task. Only what is present is checked; the shape of
 * the document is the routing parser's to judge.
 */
export function checkWorkflowConfigurationLimits(document: unknown): void {
  if (!isObject(document)) return;
  const wrapped = Object.hasOwn(document, 'task_routing');
  const routing = wrapped ? document['task_routing'] : document;
  if (!isObject(routing)) return;
  const base = wrapped ? 'task_routing.' : '';
  const filters = routing['filters'];
  if (Array.isArray(filters)) {
    filters.forEach((filter, index) => {
      if (!isObject(filter)) return;
      const path = `${base}filters[${index}]`;
      for (const key of ['filter_friendly_name', 'friendly_name']) bound(filter[key], `${path}.${key}`, MAX_FILTER_NAME_LENGTH);
      bound(filter['expression'], `${path}.expression`, MAX_EXPRESSION_LENGTH);
      const targets = filter['targets'];
      if (Array.isArray(targets)) targets.forEach((target, t) => checkTarget(target, `${path}.targets[${t}]`));
    });
  }
  checkTarget(routing['default_filter'], `${base}default_filter`);
}

function checkTarget(target: unknown, path: string): void {
  if (!isObject(target)) return;
  for (const key of TARGET_TEXT_KEYS) bound(target[key], `${path}.${key}`, MAX_EXPRESSION_LENGTH);
}

function bound(value: unknown, path: string, max: number): void {
  if (typeof value === 'string' && value.length > max) {
    throw badRequest(`Configuration is invalid: ${path} is ${value.length} characters long; at most ${max.toLocaleString('en-US')} are allowed`);
  }
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
