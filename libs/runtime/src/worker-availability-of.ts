import type { WorkerAvailability } from '@taskrouter/availability';
import { reservationsOnChannel, type WorkerState, type WorkspaceState } from '@taskrouter/domain';

/**
 * The availability index's view of a worker, from its aggregate. In a single-tasking workspace
 * every channel's capacity is the worker's one slot: any reservation fills all of them.
 */
export function workerAvailabilityOf(worker: WorkerState, workspace: WorkspaceState, queues: string[], version: number): WorkerAvailability {
  const total = Object.keys(worker.reservations).length;
  const channels: WorkerAvailability['channels'] = {};
  for (const channel of Object.values(worker.channels)) {
    channels[channel.uniqueName] = workspace.multiTaskEnabled
      ? { capacity: channel.capacity, assigned: reservationsOnChannel(worker, channel.uniqueName), available: channel.available }
      : { capacity: 1, assigned: total, available: channel.available };
  }
  return {
    workspaceSid: worker.workspaceSid, workerSid: worker.workerSid, available: worker.activity.available,
    idleSince: Date.parse(worker.idleSince), channels, queues, version,
  };
}
