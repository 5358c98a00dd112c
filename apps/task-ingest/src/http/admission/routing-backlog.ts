/**
 * How far routing is behind, in events, by stage. An event appended to the log first waits for
 * the outbox relay (`relay`: in Postgres, not yet on Kafka), then for the routing consumers
 * (`evaluator`: the workflow-evaluator group on the task and configuration topics; `matcher`:
 * the queue-matcher group on every event topic). Both groups read the same events, so an event
 * on Kafka is waiting as long as the slower group has not committed it: the total counts it
 * once, `relay + max(evaluator, matcher)`. The reservation-timer's group is left out: timers do
 * not route, and a late timer delays nothing new.
 */
export interface RoutingBacklog {
  readonly relay: number;
  readonly evaluator: number;
  readonly matcher: number;
  /** Highest event position in the log, for the drain rate (drain-rate.ts). */
  readonly logHead: number;
  /** Stages whose last reading failed for longer than the staleness bound; they count as 0. */
  readonly unknown: readonly ('relay' | 'consumers')[];
}

export function totalBacklog(backlog: Pick<RoutingBacklog, 'relay' | 'evaluator' | 'matcher'>): number {
  return backlog.relay + Math.max(backlog.evaluator, backlog.matcher);
}

export function describeBacklog(backlog: RoutingBacklog): string {
  const parts = `relay ${backlog.relay}, workflow-evaluator ${backlog.evaluator}, queue-matcher ${backlog.matcher}`;
  return `${totalBacklog(backlog)} events (${parts}${backlog.unknown.length > 0 ? `; not measured: ${backlog.unknown.join(', ')}` : ''})`;
}
