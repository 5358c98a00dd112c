import type { WorkerFacts } from '@taskrouter/expression';
import { assignedOnChannel, reservationsOnChannel, type WorkerState } from '@taskrouter/domain';

/** What expressions may read of a worker: its fields, attributes and (multitasking) channels. */
export function workerFactsOf(worker: WorkerState): WorkerFacts {
  const channels: Record<string, Record<string, unknown>> = {};
  for (const channel of Object.values(worker.channels)) {
    const reserved = reservationsOnChannel(worker, channel.uniqueName);
    channels[channel.uniqueName] = {
      available: channel.available, configured_capacity: channel.capacity, assigned_tasks: assignedOnChannel(worker, channel.uniqueName),
      available_capacity_percentage: channel.capacity === 0 ? 0 : Math.max(0, Math.floor((100 * (channel.capacity - reserved)) / channel.capacity)),
    };
  }
  return {
    sid: worker.workerSid, friendly_name: worker.friendlyName, activity_sid: worker.activity.sid, activity_name: worker.activity.name,
    attributes: worker.attributes, channels,
  };
}
