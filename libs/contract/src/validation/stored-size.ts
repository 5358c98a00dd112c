import { badRequest } from '../errors/taskrouter-error';
import type { FormValues } from '../form/form-values';
import { utf8Length } from './parameter-limits';

/**
 * The largest event the log takes: `MAX_EVENT_BYTES` of @taskrouter/event-store (4 MiB of data
 * and metadata as JSON), repeated here because a pure library cannot import the store; a spec
 * of task-ingest checks that the two agree.
 */
export const EVENT_SIZE_BOUND_BYTES = 4 * 1024 * 1024;
/**
 * What the parameters of one request may take once stored: an event carries each value at
 * most once, JSON-escaped, beside fields of its own (SIDs, timestamps, metadata: well under
 * 64 KiB). Keeping a request's values under this keeps every event it causes under the bound.
 */
export const MAX_STORED_PARAMETER_BYTES = EVENT_SIZE_BOUND_BYTES - 65_536;

/** The bytes a string takes inside a JSON document: quotes, and escapes for `"`, `\` and control characters. */
export function storedLength(value: string): number {
  let escapes = 2;
  for (let i = 0; i < value.length; i++) {
    const code = value.charCodeAt(i);
    if (code === 0x22 || code === 0x5c || code === 0x08 || code === 0x09 || code === 0x0a || code === 0x0c || code === 0x0d) escapes += 1;
    else if (code < 0x20) escapes += 5;
  }
  return utf8Length(value) + escapes;
}

/**
 * Refuses a request body whose values, as an event would store them, exceed
 * MAX_STORED_PARAMETER_BYTES, naming the largest. A documented `Configuration` (1,038,576 bytes,
 * at most twice that once escaped) always fits; what does not is a 4 MB body of raw quotes,
 * backslashes or control characters, which escaping makes up to six times as long.
 */
export function checkStoredSize(values: FormValues): void {
  let total = 0;
  let largest = { name: '', bytes: 0 };
  for (const [name, value] of Object.entries(values)) {
    for (const one of Array.isArray(value) ? value : value === undefined ? [] : [value]) {
      const bytes = storedLength(name) + storedLength(one);
      total += bytes;
      if (bytes > largest.bytes) largest = { name, bytes };
    }
  }
  if (total > MAX_STORED_PARAMETER_BYTES) {
    throw badRequest(
      `${largest.name} takes ${largest.bytes} bytes once stored (JSON escapes every quote, backslash and control character); ` +
        `the parameters of one request may take at most ${MAX_STORED_PARAMETER_BYTES} bytes stored, so that no event exceeds ${EVENT_SIZE_BOUND_BYTES} bytes`,
    );
  }
}
