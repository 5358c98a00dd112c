import { versionCheck, WrongExpectedVersionError, type StreamAppend } from '@taskrouter/event-store';
import type { AggregateStore } from './aggregate-store';

export interface Decision<T> {
  readonly appends: StreamAppend[];
  readonly result: T;
}

export const DEFAULT_DECISION_ATTEMPTS = 8;

/**
 * Load, decide, append; when another decision came first (a version conflict), load and
 * decide again on the newer state. `attempt` must be a fresh load-and-decide every time.
 *
 * With `aggregates`, the first attempt decides on the process's cached states without reading
 * them (most of a request's streams were read or written here a moment ago), and its append
 * checks the version of every stream it took from the cache, appended to or only read (a
 * configuration change committed before the request began is always caught). The cache is
 * trusted only where the log confirms it: an attempt that failed or decided nothing is taken
 * again with reads, as is one whose check lost. Committed states become the cache.
 */
export async function runDecision<T>(
  attempt: () => Promise<Decision<T>>,
  append: (appends: StreamAppend[]) => Promise<unknown>,
  maxAttempts = DEFAULT_DECISION_ATTEMPTS,
  aggregates?: AggregateStore,
): Promise<T> {
  for (let tries = 1; ; tries++) {
    const fromCache = aggregates !== undefined && tries === 1;
    const { scope, outcome } = aggregates ? await aggregates.attempt(fromCache, attempt) : await bare(attempt);
    const served = scope?.served ?? new Map<string, number>();
    if (!outcome.ok || outcome.value.appends.every((a) => a.events.length === 0)) {
      // A refusal or a no-op on cached states may be the cache's doing: the log decides.
      if (served.size > 0) {
        aggregates!.markStale(served.keys());
        continue;
      }
      if (!outcome.ok) throw outcome.error;
      return outcome.value.result;
    }
    const nonEmpty = outcome.value.appends.filter((a) => a.events.length > 0);
    const appended = new Set(nonEmpty.map((a) => a.streamId));
    const checks = [...served].filter(([streamId]) => !appended.has(streamId)).map(([streamId, version]) => versionCheck(streamId, version));
    try {
      await append([...nonEmpty, ...checks]);
      if (scope) aggregates!.committed(scope, nonEmpty);
      return outcome.value.result;
    } catch (error) {
      if (error instanceof WrongExpectedVersionError) aggregates?.markStale(served.keys());
      if (error instanceof WrongExpectedVersionError && (tries < maxAttempts || served.size > 0)) continue;
      throw error;
    }
  }
}

async function bare<T>(attempt: () => Promise<Decision<T>>) {
  try {
    return { scope: undefined, outcome: { ok: true as const, value: await attempt() } };
  } catch (error) {
    return { scope: undefined, outcome: { ok: false as const, error } };
  }
}
