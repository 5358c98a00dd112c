import type { AggregateStore, ObservedEvent } from '@taskrouter/runtime';

/**
 * Folds a consumed event into the process's cache. An event the domain cannot fold (a poison
 * event) is for the consumers that act on it to park; here it only leaves the cached state behind,
 * so the next load of that stream reads it.
 */
export function observeEvent(aggregates: AggregateStore, event: ObservedEvent): void {
  try {
    aggregates.observe(event);
  } catch {
    aggregates.markStale([event.streamId]);
  }
}
