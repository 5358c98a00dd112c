import { encodeWorkerArguments, parseWorkerHash } from './worker-hash';
import type { WorkerAvailability } from './worker-availability';

const worker: WorkerAvailability = {
  workspaceSid: 'WS1',
  workerSid: 'WK1',
  available: true,
  idleSince: 1_700_000_000_123,
  channels: { voice: { capacity: 1, assigned: 0, available: true }, 'chat:web': { capacity: 4, assigned: 2, available: false } },
  queues: ['WQ1', 'WQ2', 'WQ1'],
  version: 42,
};

// What the upsert script writes for these arguments (kept in step with lua/upsert-worker.lua.ts).
function hashFromArguments(args: string[]): Record<string, string> {
  const [, version, available, idleSince, queues, channels, ...perChannel] = args;
  const hash: Record<string, string> = { version, available, idleSince, queues, channels };
  for (let i = 0; i < perChannel.length; i += 4) {
    const [name, capacity, assigned, channelAvailable] = perChannel.slice(i, i + 4);
    Object.assign(hash, { [`c:${name}:capacity`]: capacity, [`c:${name}:assigned`]: assigned, [`c:${name}:available`]: channelAvailable });
  }
  return hash;
}

describe('worker hash encoding', () => {
  it('round-trips a worker, with queues de-duplicated and channel names containing colons', () => {
    const parsed = parseWorkerHash('WS1', 'WK1', hashFromArguments(encodeWorkerArguments(worker)));
    expect(parsed).toEqual({ ...worker, queues: ['WQ1', 'WQ2'] });
  });

  it('reads no worker from an empty hash or a tombstone', () => {
    expect(parseWorkerHash('WS1', 'WK1', {})).toBeNull();
    expect(parseWorkerHash('WS1', 'WK1', { version: '7', removed: '1' })).toBeNull();
  });

  it('rejects counts and times that are not non-negative integers', () => {
    expect(() => encodeWorkerArguments({ ...worker, version: -1 })).toThrow(/version/);
    expect(() => encodeWorkerArguments({ ...worker, idleSince: 1.5 })).toThrow(/idleSince/);
    expect(() => encodeWorkerArguments({ ...worker, channels: { voice: { capacity: -1, assigned: 0, available: true } } })).toThrow(/capacity/);
    expect(() => encodeWorkerArguments({ ...worker, queues: [''] })).toThrow(/queues/);
  });
});
