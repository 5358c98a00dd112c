import type { WorkerFacts } from '@taskrouter/expression';
import type { MatchingChannel } from './matching-input';

/**
 * A multitasking worker's facts after `reservedInBatch` more reservations on one channel. An
 * expression may read `worker.channel.<name>.available_capacity_percentage`, which each
 * reservation lowers, as it would in the worker's state after the append (`assigned_tasks`
 * counts accepted tasks only, so a new reservation leaves it alone). Single-tasking needs no
 * refresh: a reserved worker has no capacity left in the batch, so its facts are not read again.
 */
export function factsAfterReservations(facts: WorkerFacts, channelName: string, channel: MatchingChannel, reservedInBatch: number): WorkerFacts {
  const channels = facts.channels;
  if (!channels || !Object.hasOwn(channels, channelName)) return facts;
  const held = channel.assigned + reservedInBatch;
  const percentage = channel.capacity <= 0 ? 0 : Math.max(0, Math.floor((100 * (channel.capacity - held)) / channel.capacity));
  return { ...facts, channels: { ...channels, [channelName]: { ...channels[channelName], available_capacity_percentage: percentage } } };
}

/** Free capacity of a channel as the index proposes it: none unless worker and channel are available. */
export function freeCapacityOf(workerAvailable: boolean, channel: MatchingChannel | undefined): number {
  if (!workerAvailable || !channel || !channel.available) return 0;
  return Math.max(0, channel.capacity - channel.assigned);
}
