/** How many rows the shared scopes (workspace, queue, workflow) keep per minute and channel. */
export const STATISTICS_SHARDS = 16;

/**
 * The bucket shard of a task's events: FNV-1a (32 bits) of its stream id modulo
 * STATISTICS_SHARDS. A function of the event alone, so every replay, however the log is cut,
 * writes each count to the row live appends wrote it to; two tasks share a shard 1 time in 16,
 * so their appends rarely wait for each other's bucket rows.
 */
export function statisticsShard(taskSid: string): number {
  const streamId = `task:${taskSid}`;
  let hash = 0x811c9dc5;
  for (let i = 0; i < streamId.length; i++) {
    hash ^= streamId.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return (hash >>> 0) % STATISTICS_SHARDS;
}
