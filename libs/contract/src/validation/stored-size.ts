import { badRequest } from '../errors/taskrouter-error';
import type { FormValues } from '../form/form-values';
import { utf8Length } from './parameter-limits';

/** The event store refuses any event over 1 MiB serialized (JSON, UTF-8). */
export const MAX_EVENT_BYTES = 1_048_576;
/**
 * What the parameters of one request may take once stored: an event carries each value at
 * most once, JSON-escaped, beside fields of its own (SIDs, timestamps, metadata: well under
 * 8 KiB). Keeping a request's values under this keeps every event it causes under 1 MiB.
 */
export const MAX_STORED_PARAMETER_BYTES = MAX_EVENT_BYTES - 8_192;

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
 * MAX_STORED_PARAMETER_BYTES; the largest value is named (in practice a workflow
 * `Configuration` dense with quotes or backslashes, which escaping makes up to twice as long).
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
      `${largest.name} takes ${largest.bytes} bytes once stored (JSON escapes every quote and backslash); ` +
        `the parameters of one request may take at most ${MAX_STORED_PARAMETER_BYTES} bytes stored, so that no event exceeds ${MAX_EVENT_BYTES} bytes`,
    );
  }
}
