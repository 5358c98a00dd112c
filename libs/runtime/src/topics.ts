/**
 * Kafka topics, decided up front: every domain event goes to one topic keyed by stream id
 * (per-entity order), with enough partitions to spread matching over several instances;
 * `work-items` is the inbound topic other systems publish work to.
 */
export const EVENT_TOPIC_PARTITIONS = 12;
export const WORK_ITEM_TOPIC_PARTITIONS = 6;

export const topicsFor = (prefix: string) => ({
  events: `${prefix}.events`,
  workItems: `${prefix}.work-items`,
  /** Work items that could not become tasks, with the error: nothing published is lost. */
  rejectedWorkItems: `${prefix}.work-items.rejected`,
});

/** Partitions a service instance handles at once (each still in order): enough to overlap I/O waits. */
export const PARTITIONS_IN_PARALLEL = 6;
