import { StreamOrderConflictError, WrongExpectedVersionError } from '@taskrouter/event-store';
import { isTransientFailure } from '@taskrouter/messaging';

/**
 * What a service handler may fail with that says nothing about the event: a dependency outage,
 * or losing version races (runDecision's attempts ran out under contention). Retried, never parked.
 */
export function isTransientServiceFailure(error: unknown): boolean {
  return isTransientFailure(error) || error instanceof WrongExpectedVersionError || error instanceof StreamOrderConflictError;
}
