import { badRequest } from '../errors/taskrouter-error';
import type { FormValues } from '../form/form-values';
import { checkJsonDocument } from './json-document';
import { checkWorkflowConfigurationLimits } from './workflow-configuration-limits';

export interface ParameterLimit {
  /** The most a value may hold: UTF-16 characters, or UTF-8 bytes where TaskRouter counts bytes. */
  readonly max: number;
  readonly unit: 'characters' | 'bytes';
  /** A JSON document: its keys and strings are checked as text too. */
  readonly json?: boolean;
  /** Further bounds on the parsed document (when it parses). */
  readonly checkDocument?: (document: unknown) => void;
}

/** Any parameter not listed below: SIDs, integers, booleans, enumerations, URLs, `Reason`, list filters. */
export const DEFAULT_PARAMETER_LIMIT: ParameterLimit = { max: 4_096, unit: 'characters' };

/**
 * The parameters with their own bound (docs/limits.md). TaskRouter documents 64 characters for
 * friendly names, 4,096 for attributes and 1,038,576 bytes for a workflow configuration; the
 * expression bounds are ours (its docs give none), sized like attributes.
 */
export const PARAMETER_LIMITS: ReadonlyMap<string, ParameterLimit> = new Map<string, ParameterLimit>([
  ['FriendlyName', { max: 64, unit: 'characters' }],
  ['UniqueName', { max: 64, unit: 'characters' }],
  ['Attributes', { max: 4_096, unit: 'characters', json: true }],
  ['EvaluateWorkerAttributes', { max: 4_096, unit: 'characters', json: true }],
  ['TargetWorkers', { max: 4_096, unit: 'characters' }],
  ['TargetWorkersExpression', { max: 4_096, unit: 'characters' }],
  ['EvaluateTaskAttributes', { max: 4_096, unit: 'characters' }],
  ['Configuration', { max: 1_038_576, unit: 'bytes', json: true, checkDocument: checkWorkflowConfigurationLimits }],
]);

export function limitOf(name: string): ParameterLimit {
  return PARAMETER_LIMITS.get(name) ?? DEFAULT_PARAMETER_LIMIT;
}

/**
 * Bounds every value of a decoded body or query by its parameter's limit and checks JSON
 * documents inside; the first value over its bound is refused with 400 naming it.
 */
export function checkParameterLimits(values: FormValues): void {
  for (const [name, value] of Object.entries(values)) {
    if (value === undefined) continue;
    const limit = limitOf(name);
    for (const one of Array.isArray(value) ? value : [value]) {
      const size = limit.unit === 'bytes' ? utf8Length(one) : one.length;
      if (size > limit.max) {
        throw badRequest(`${name} is ${size} ${limit.unit} long; at most ${limit.max.toLocaleString('en-US')} ${limit.unit} are allowed`);
      }
      const parsed = limit.json ? checkJsonDocument(one, name) : undefined;
      if (parsed) limit.checkDocument?.(parsed.document);
    }
  }
}

/** UTF-8 length of well-formed text (the edge has already refused lone surrogates). */
export function utf8Length(value: string): number {
  let bytes = 0;
  for (let i = 0; i < value.length; i++) {
    const code = value.charCodeAt(i);
    if (code < 0x80) bytes += 1;
    else if (code < 0x800) bytes += 2;
    else if (code >= 0xd800 && code <= 0xdbff) {
      bytes += 4;
      i++;
    } else bytes += 3;
  }
  return bytes;
}
