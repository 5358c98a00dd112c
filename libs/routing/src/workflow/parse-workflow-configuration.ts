import { compileExpression, ExpressionError, type BareKeyScope, type CompiledExpression } from '@taskrouter/expression';
import { OrderByError, parseOrderBy } from '../worker-ordering/order-by';
import { WorkflowConfigurationError } from './workflow-configuration-error';
import type { WorkflowDefinition, WorkflowFilter, WorkflowTarget } from './workflow-definition';

export const MAX_WORKFLOW_CONFIGURATION_BYTES = 1_038_576;
const MAX_TARGET_TIMEOUT_SECONDS = 1_209_600;
const MAX_PRIORITY = 2_147_483_647;
const TARGET_KEYS = new Set(['queue', 'priority', 'timeout', 'expression', 'order_by', 'skip_if', 'known_worker_sid', 'known_worker_friendly_name']);
const QUEUE_SID = /^WQ[0-9a-fA-F]{32}$/;

type Json = Record<string, unknown>;

/**
 * Parses and validates a Workflow `Configuration` document once, compiling every expression,
 * so a bad document is refused when it is written and routing never meets one.
 */
export function parseWorkflowConfiguration(source: string): WorkflowDefinition {
  if (new TextEncoder().encode(source).length > MAX_WORKFLOW_CONFIGURATION_BYTES) {
    throw new WorkflowConfigurationError('configuration', `is larger than ${MAX_WORKFLOW_CONFIGURATION_BYTES} bytes`);
  }
  let document: unknown;
  try {
    document = JSON.parse(source);
  } catch (error) {
    throw new WorkflowConfigurationError('configuration', `is not valid JSON (${(error as Error).message})`);
  }
  if (!isObject(document)) throw new WorkflowConfigurationError('configuration', 'must be a JSON object');
  // The Known Agent Routing page shows the document without the `task_routing` wrapper; accept both.
  const routing = 'task_routing' in document ? document['task_routing'] : document;
  const base = 'task_routing' in document ? 'task_routing' : '';
  if (!isObject(routing)) throw new WorkflowConfigurationError(join(base, ''), 'task_routing must be an object');

  const rawFilters = routing['filters'] ?? [];
  if (!Array.isArray(rawFilters)) throw new WorkflowConfigurationError(join(base, 'filters'), 'must be an array');
  const filters = rawFilters.map((raw, index) => parseFilter(raw, join(base, `filters[${index}]`)));

  let defaultFilter: WorkflowTarget | undefined;
  if (routing['default_filter'] !== undefined && routing['default_filter'] !== null) {
    const path = join(base, 'default_filter');
    defaultFilter = parseTarget(routing['default_filter'], path, undefined);
    if (defaultFilter.timeout !== undefined) throw new WorkflowConfigurationError(`${path}.timeout`, 'the default filter has no timeout');
  }
  if (filters.length === 0 && !defaultFilter) {
    throw new WorkflowConfigurationError(join(base, ''), 'needs at least one filter or a default_filter');
  }
  const queueSids = new Set<string>();
  for (const filter of filters) for (const target of filter.targets) queueSids.add(target.queueSid);
  if (defaultFilter) queueSids.add(defaultFilter.queueSid);
  return { filters, defaultFilter, queueSids: [...queueSids] };
}

function parseFilter(raw: unknown, path: string): WorkflowFilter {
  if (!isObject(raw)) throw new WorkflowConfigurationError(path, 'must be an object');
  const friendlyName = raw['filter_friendly_name'] ?? raw['friendly_name'] ?? '';
  if (typeof friendlyName !== 'string') throw new WorkflowConfigurationError(`${path}.filter_friendly_name`, 'must be a string');
  if (typeof raw['expression'] !== 'string') throw new WorkflowConfigurationError(`${path}.expression`, 'is required and must be a string');
  const expression = compileAt(raw['expression'], `${path}.expression`, 'task');
  const rawTargets = raw['targets'];
  if (!Array.isArray(rawTargets) || rawTargets.length === 0) {
    throw new WorkflowConfigurationError(`${path}.targets`, 'must be a non-empty array');
  }
  const targets: WorkflowTarget[] = [];
  rawTargets.forEach((rawTarget, index) => {
    // "All subsequent targets within the filter will inherit the queue if not redefined."
    targets.push(parseTarget(rawTarget, `${path}.targets[${index}]`, targets[index - 1]?.queueSid));
  });
  return { friendlyName, expression, targets };
}

/** One target object (the JSON keys of a workflow target), validated and compiled on its own. */
export function parseWorkflowTarget(raw: Record<string, unknown>, path = 'target'): WorkflowTarget {
  return parseTarget(Object.fromEntries(Object.entries(raw).filter(([, value]) => value !== undefined)), path, undefined);
}

function parseTarget(raw: unknown, path: string, inheritedQueueSid: string | undefined): WorkflowTarget {
  if (!isObject(raw)) throw new WorkflowConfigurationError(path, 'must be an object');
  for (const key of Object.keys(raw)) {
    if (!TARGET_KEYS.has(key)) throw new WorkflowConfigurationError(`${path}.${key}`, 'is not a target key');
  }
  const queue = raw['queue'] ?? inheritedQueueSid;
  if (typeof queue !== 'string' || !QUEUE_SID.test(queue)) {
    throw new WorkflowConfigurationError(`${path}.queue`, queue === undefined ? 'is required on the first target' : 'must be a TaskQueue SID (WQ followed by 32 hex digits)');
  }
  if (raw['known_worker_sid'] !== undefined && raw['known_worker_friendly_name'] !== undefined) {
    throw new WorkflowConfigurationError(path, 'may have known_worker_sid or known_worker_friendly_name, not both');
  }
  return {
    queueSid: queue,
    priority: optionalInteger(raw['priority'], `${path}.priority`, 0, MAX_PRIORITY),
    timeout: optionalInteger(raw['timeout'], `${path}.timeout`, 1, MAX_TARGET_TIMEOUT_SECONDS),
    expression: optionalExpression(raw['expression'], `${path}.expression`, 'worker'),
    orderBy: optionalOrderBy(raw['order_by'], `${path}.order_by`),
    skipIf: optionalExpression(raw['skip_if'], `${path}.skip_if`, 'task'),
    knownWorkerSid: optionalString(raw['known_worker_sid'], `${path}.known_worker_sid`),
    knownWorkerFriendlyName: optionalString(raw['known_worker_friendly_name'], `${path}.known_worker_friendly_name`),
  };
}

/** The docs give numbers both as JSON numbers and as numeric strings ("priority": "10"). */
function optionalInteger(value: unknown, path: string, min: number, max: number): number | undefined {
  if (value === undefined || value === null) return undefined;
  const number = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
  if (typeof number !== 'number' || !Number.isInteger(number) || number < min || number > max) {
    throw new WorkflowConfigurationError(path, `must be an integer from ${min} to ${max}`);
  }
  return number;
}

function optionalOrderBy(value: unknown, path: string): string | undefined {
  const source = optionalString(value, path);
  if (source === undefined) return undefined;
  try {
    parseOrderBy(source);
  } catch (error) {
    if (error instanceof OrderByError) throw new WorkflowConfigurationError(path, error.message);
    throw error;
  }
  return source;
}

function optionalString(value: unknown, path: string): string | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') throw new WorkflowConfigurationError(path, 'must be a string');
  return value;
}

function optionalExpression(value: unknown, path: string, scope: BareKeyScope): CompiledExpression | undefined {
  const source = optionalString(value, path);
  return source === undefined || source.trim() === '' ? undefined : compileAt(source, path, scope);
}

function compileAt(source: string, path: string, scope: BareKeyScope): CompiledExpression {
  try {
    return compileExpression(source, { bareKeys: scope });
  } catch (error) {
    if (error instanceof ExpressionError) throw new WorkflowConfigurationError(path, error.message);
    throw error;
  }
}

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function join(base: string, rest: string): string {
  if (!base) return rest === '' ? 'configuration' : rest;
  return rest === '' ? base : `${base}.${rest}`;
}
