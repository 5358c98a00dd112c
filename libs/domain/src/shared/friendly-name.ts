import { DomainError } from './domain-error';

/** TaskRouter friendly names are 1 to 64 characters (error 20002 when not). */
export function checkFriendlyName(value: string, parameter: string): void {
  if (value.length < 1 || value.length > 64) {
    throw new DomainError('invalid', `${parameter} must be between 1 and 64 characters long`, parameter);
  }
}
