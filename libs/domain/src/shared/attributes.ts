import { DomainError } from './domain-error';

export const MAX_ATTRIBUTES_LENGTH = 4096;

/**
 * Task and Worker `Attributes` arrive as a JSON string holding an object, at most 4096
 * characters "including whitespace" (TaskRouter's documented limit).
 */
export function parseAttributes(source: string, parameter: string): Record<string, unknown> {
  if (source.length > MAX_ATTRIBUTES_LENGTH) {
    throw new DomainError('invalid', `${parameter} is ${source.length} characters long; the limit is ${MAX_ATTRIBUTES_LENGTH}`, parameter);
  }
  let value: unknown;
  try {
    value = JSON.parse(source);
  } catch (error) {
    throw new DomainError('invalid', `${parameter} is not valid JSON: ${(error as Error).message}`, parameter);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new DomainError('invalid', `${parameter} must be a JSON object`, parameter);
  }
  return value as Record<string, unknown>;
}
