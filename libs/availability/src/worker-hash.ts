import type { ChannelAvailability, WorkerAvailability } from './worker-availability';

/**
 * How a worker is stored: one Redis hash.
 *
 *   version      worker stream version
 *   available    '1' | '0'
 *   idleSince    epoch ms
 *   queues       JSON array of TaskQueue SIDs
 *   channels     JSON array of channel names (the per-channel fields below exist for each)
 *   c:<channel>:capacity | c:<channel>:assigned | c:<channel>:available ('1' | '0')
 *   removed      '1' on a tombstone (only version is kept besides it)
 *
 * Per-channel counts are separate fields so reserve/release can HINCRBY them in Lua.
 */

/** The upsert script's ARGV after `base`: workerSid, version, available, idleSince, queuesJson, channelNamesJson, then name, capacity, assigned, available per channel. */
export function encodeWorkerArguments(worker: WorkerAvailability): string[] {
  requireNonNegativeInteger('version', worker.version);
  requireNonNegativeInteger('idleSince', worker.idleSince);
  if (!Array.isArray(worker.queues) || worker.queues.some((q) => typeof q !== 'string' || q.length === 0)) {
    throw new Error(`worker ${worker.workerSid}: queues must be non-empty TaskQueue SIDs`);
  }
  const channelNames = Object.keys(worker.channels);
  const channelArguments: string[] = [];
  for (const name of channelNames) {
    if (name.length === 0) throw new Error(`worker ${worker.workerSid}: a channel name is empty`);
    const channel = worker.channels[name];
    requireNonNegativeInteger(`channels.${name}.capacity`, channel.capacity);
    requireNonNegativeInteger(`channels.${name}.assigned`, channel.assigned);
    channelArguments.push(name, String(channel.capacity), String(channel.assigned), flag(channel.available));
  }
  return [
    worker.workerSid,
    String(worker.version),
    flag(worker.available),
    String(worker.idleSince),
    JSON.stringify([...new Set(worker.queues)]),
    JSON.stringify(channelNames),
    ...channelArguments,
  ];
}

/** The worker from its hash, or null when there is none or only a tombstone. */
export function parseWorkerHash(
  workspaceSid: string,
  workerSid: string,
  hash: Record<string, string>,
): WorkerAvailability | null {
  if (hash.version === undefined || hash.removed === '1') return null;
  const channels: Record<string, ChannelAvailability> = {};
  for (const name of JSON.parse(hash.channels) as string[]) {
    channels[name] = {
      capacity: Number(hash[`c:${name}:capacity`]),
      assigned: Number(hash[`c:${name}:assigned`]),
      available: hash[`c:${name}:available`] === '1',
    };
  }
  return {
    workspaceSid,
    workerSid,
    available: hash.available === '1',
    idleSince: Number(hash.idleSince),
    channels,
    queues: JSON.parse(hash.queues) as string[],
    version: Number(hash.version),
  };
}

function flag(value: boolean): string {
  return value ? '1' : '0';
}

export function requireNonNegativeInteger(name: string, value: number): void {
  if (!Number.isSafeInteger(value) || value < 0) throw new Error(`${name} must be a non-negative integer, got ${value}`);
}
