/**
 * Kafka topics, decided up front. Domain events go to one topic per aggregate family, keyed by
 * stream id (per-entity order), with enough partitions to spread work over several instances:
 * tasks (task streams), workers (worker streams), config (workspace, queue and workflow streams).
 * A service reads only the families it reacts to. `work-items` is the inbound topic other
 * systems publish work to.
 */
export const EVENT_TOPIC_PARTITIONS = 12;
export const WORK_ITEM_TOPIC_PARTITIONS = 6;

export type EventFamily = 'tasks' | 'workers' | 'config';

/** Which family a stream's events belong to, from the stream id's aggregate prefix. */
export function eventFamilyOf(streamId: string): EventFamily {
  if (streamId.startsWith('task:')) return 'tasks';
  if (streamId.startsWith('worker:')) return 'workers';
  return 'config';
}

export const topicsFor = (prefix: string) => ({
  events: { tasks: `${prefix}.events.tasks`, workers: `${prefix}.events.workers`, config: `${prefix}.events.config` } as Record<EventFamily, string>,
  workItems: `${prefix}.work-items`,
  /** Work items that could not become tasks, with the error: nothing published is lost. */
  rejectedWorkItems: `${prefix}.work-items.rejected`,
});

/** Partitions a service instance handles at once (each still in order): enough to overlap I/O waits. */
export const PARTITIONS_IN_PARALLEL = 6;
