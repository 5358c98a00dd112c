import { WrongExpectedVersionError, type StreamAppend } from '@taskrouter/event-store';

export interface Decision<T> {
  readonly appends: StreamAppend[];
  readonly result: T;
}

export const DEFAULT_DECISION_ATTEMPTS = 8;

/**
 * Load, decide, append; when another decision came first (a version conflict), load and
 * decide again on the newer state. `attempt` must be a fresh load-and-decide every time.
 */
export async function runDecision<T>(
  attempt: () => Promise<Decision<T>>,
  append: (appends: StreamAppend[]) => Promise<unknown>,
  maxAttempts = DEFAULT_DECISION_ATTEMPTS,
): Promise<T> {
  for (let tries = 1; ; tries++) {
    const decision = await attempt();
    const nonEmpty = decision.appends.filter((a) => a.events.length > 0);
    if (nonEmpty.length === 0) return decision.result;
    try {
      await append(nonEmpty);
      return decision.result;
    } catch (error) {
      if (error instanceof WrongExpectedVersionError && tries < maxAttempts) continue;
      throw error;
    }
  }
}
