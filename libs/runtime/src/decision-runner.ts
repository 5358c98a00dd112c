import { versionCheck, WrongExpectedVersionError, type StreamAppend } from '@taskrouter/event-store';
import type { AggregateStore } from './aggregate-store';
import { processMetrics } from './operations/service-metrics';

export interface Decision<T> {
  readonly appends: StreamAppend[];
  readonly result: T;
}

export const DEFAULT_DECISION_ATTEMPTS = 8;

/**
 * Load, decide, append; when another decision came first (a version conflict), load and
 * decide again on the newer state. `attempt` must be a fresh load-and-decide every time.
 *
 * With `aggregates`, attempts decide on the process's cached states without reading them (most
 * of a request's streams were read or written here a moment ago), and the append checks the
 * version of every stream the decision loaded, appended to or only read: a configuration change
 * committed before the request began is always caught. The cache is trusted only where the log
 * confirms it: a conflict marks its stream stale (the next attempt reads what came after), and a
 * refusal or a no-op decided on cached states is answered only once one query of their heads
 * shows none of them moved on. Committed states become the cache.
 *
 * Each run counts as `kind` in taskrouter_decisions_total: committed, unchanged (nothing to append),
 * refused (the decision threw), and one conflict per version race lost.
 */
export async function runDecision<T>(
  attempt: () => Promise<Decision<T>>,
  append: (appends: StreamAppend[]) => Promise<unknown>,
  maxAttempts = DEFAULT_DECISION_ATTEMPTS,
  aggregates?: AggregateStore,
  kind = 'other',
): Promise<T> {
  const decisions = processMetrics.decisions;
  for (let tries = 1; ; tries++) {
    // The last attempt reads everything: its refusal is then answered without a doubt left.
    const { scope, outcome } = aggregates ? await aggregates.attempt(tries < maxAttempts, attempt) : await bare(attempt);
    const served = scope?.served ?? new Map<string, number>();
    if (!outcome.ok || outcome.value.appends.every((a) => a.events.length === 0)) {
      if (aggregates && served.size > 0 && tries < maxAttempts) {
        const stale = await aggregates.staleAmong(served);
        if (stale.length > 0) {
          aggregates.markStale(stale);
          continue;
        }
      }
      if (!outcome.ok) {
        decisions.add(kind, 'refused');
        throw outcome.error;
      }
      decisions.add(kind, 'unchanged');
      return outcome.value.result;
    }
    const nonEmpty = outcome.value.appends.filter((a) => a.events.length > 0);
    const appended = new Set(nonEmpty.map((a) => a.streamId));
    // Every stream the decision read and does not append to is checked, cached or just read: a
    // worker created while its workspace gains a channel is decided again on the new workspace.
    const read = scope ? [...scope.loaded].map(([streamId, loaded]) => [streamId, loaded.version] as const) : [];
    const checks = read.filter(([streamId]) => !appended.has(streamId)).map(([streamId, version]) => versionCheck(streamId, version));
    try {
      await append([...nonEmpty, ...checks]);
      if (scope) aggregates!.committed(scope, nonEmpty);
      decisions.add(kind, 'committed');
      return outcome.value.result;
    } catch (error) {
      if (!(error instanceof WrongExpectedVersionError)) {
        decisions.add(kind, 'failed');
        throw error;
      }
      decisions.add(kind, 'conflict');
      aggregates?.markStale([error.streamId]);
      if (tries < maxAttempts) continue;
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
