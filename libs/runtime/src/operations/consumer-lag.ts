import type { PartitionOffsets } from '@taskrouter/messaging';

export interface PartitionLag {
  readonly topic: string;
  readonly partition: number;
  readonly lag: number;
}

/**
 * Records of each partition the group has not committed: the high watermark minus the committed
 * offset (the next record to handle). A partition the group never committed counts from its low
 * watermark, as a new group with `fromBeginning` would read it.
 */
export function partitionLags(offsets: readonly PartitionOffsets[]): PartitionLag[] {
  return offsets.map(({ topic, partition, low, high, committed }) => ({ topic, partition, lag: Math.max(0, high - (committed >= 0 ? Math.max(committed, low) : low)) }));
}
