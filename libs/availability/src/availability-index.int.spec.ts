import Redis from 'ioredis';
import { testRedisUrl, uniqueName } from '@taskrouter/testing';
import { AvailabilityIndex } from './availability-index';
import type { WorkerAvailability } from './worker-availability';

// Against the real Redis at REDIS_URL. Each run uses its own key prefix and deletes its keys after.
const keyPrefix = `${uniqueName('availability_spec')}:`;
const connections: Redis[] = [];
let index: AvailabilityIndex;

function connect(): Redis {
  const redis = new Redis(testRedisUrl(), { lazyConnect: false, maxRetriesPerRequest: 1 });
  connections.push(redis);
  return redis;
}

function worker(overrides: Partial<WorkerAvailability> & { workerSid: string }): WorkerAvailability {
  return {
    workspaceSid: 'WS1',
    available: true,
    idleSince: 1_000,
    channels: { voice: { capacity: 1, assigned: 0, available: true } },
    queues: ['WQ1'],
    version: 1,
    ...overrides,
  };
}

beforeAll(() => {
  index = new AvailabilityIndex(connect(), { keyPrefix });
});

async function keysMatching(pattern: string): Promise<string[]> {
  const found: string[] = [];
  let cursor = '0';
  do {
    const [next, keys] = await connections[0].scan(cursor, 'MATCH', pattern, 'COUNT', 1000);
    found.push(...keys);
    cursor = next;
  } while (cursor !== '0');
  return found;
}

afterAll(async () => {
  const keys = await keysMatching(`${keyPrefix}*`);
  if (keys.length > 0) await connections[0].unlink(...keys);
  await Promise.all(connections.map((c) => c.quit()));
});

describe('reserve', () => {
  it('never exceeds capacity under 200 concurrent reserves from 4 connections', async () => {
    await index.upsertWorker(worker({ workspaceSid: 'WS-race', workerSid: 'WK1', channels: { chat: { capacity: 3, assigned: 0, available: true } } }));
    const indexes = [index, ...[1, 2, 3].map(() => new AvailabilityIndex(connect(), { keyPrefix }))];

    const outcomes = await Promise.all(
      Array.from({ length: 200 }, (_, i) => indexes[i % indexes.length].reserve('WS-race', 'WK1', 'chat')),
    );

    expect(outcomes.filter(Boolean)).toHaveLength(3);
    expect((await index.getWorker('WS-race', 'WK1'))?.channels.chat.assigned).toBe(3);
    expect(await index.candidates('WS-race', 'WQ1', 'chat', 10)).toEqual([]);
  });

  it('refuses an unavailable worker, an unavailable channel, an unknown channel and an unknown worker', async () => {
    await index.upsertWorker(worker({ workspaceSid: 'WS-refuse', workerSid: 'WK-offline', available: false }));
    await index.upsertWorker(
      worker({ workspaceSid: 'WS-refuse', workerSid: 'WK-chat-off', channels: { voice: { capacity: 2, assigned: 0, available: false } } }),
    );

    expect(await index.reserve('WS-refuse', 'WK-offline', 'voice')).toBe(false);
    expect(await index.reserve('WS-refuse', 'WK-chat-off', 'voice')).toBe(false);
    expect(await index.reserve('WS-refuse', 'WK-chat-off', 'sms')).toBe(false);
    expect(await index.reserve('WS-refuse', 'WK-nobody', 'voice')).toBe(false);
    expect((await index.getWorker('WS-refuse', 'WK-offline'))?.channels.voice.assigned).toBe(0);
  });
});

describe('release', () => {
  it('gives capacity back, returns the worker to the candidates, and never goes below 0', async () => {
    await index.upsertWorker(worker({ workspaceSid: 'WS-release', workerSid: 'WK1', idleSince: 500, channels: { voice: { capacity: 2, assigned: 0, available: true } } }));
    expect(await index.reserve('WS-release', 'WK1', 'voice')).toBe(true);
    expect(await index.reserve('WS-release', 'WK1', 'voice')).toBe(true);
    expect(await index.candidates('WS-release', 'WQ1', 'voice', 10)).toEqual([]);

    await index.release('WS-release', 'WK1', 'voice');
    expect(await index.candidates('WS-release', 'WQ1', 'voice', 10)).toEqual([{ workerSid: 'WK1', idleSince: 500, freeCapacity: 1 }]);
    expect(await index.reserve('WS-release', 'WK1', 'voice')).toBe(true);

    for (let i = 0; i < 5; i += 1) await index.release('WS-release', 'WK1', 'voice');
    expect((await index.getWorker('WS-release', 'WK1'))?.channels.voice.assigned).toBe(0);
    expect(await index.candidates('WS-release', 'WQ1', 'voice', 10)).toEqual([{ workerSid: 'WK1', idleSince: 500, freeCapacity: 2 }]);
  });

  it('does not make an unavailable worker a candidate', async () => {
    await index.upsertWorker(worker({ workspaceSid: 'WS-release-off', workerSid: 'WK1', available: false, channels: { voice: { capacity: 1, assigned: 1, available: true } } }));
    await index.release('WS-release-off', 'WK1', 'voice');
    expect(await index.candidates('WS-release-off', 'WQ1', 'voice', 10)).toEqual([]);
  });
});

describe('upsertWorker versions', () => {
  it('ignores an older version, re-applies the same version, and applies a newer one', async () => {
    const ws = 'WS-versions';
    expect(await index.upsertWorker(worker({ workspaceSid: ws, workerSid: 'WK1', version: 5, idleSince: 50 }))).toBe(true);
    expect(await index.upsertWorker(worker({ workspaceSid: ws, workerSid: 'WK1', version: 4, idleSince: 40, available: false }))).toBe(false);
    expect(await index.getWorker(ws, 'WK1')).toEqual(worker({ workspaceSid: ws, workerSid: 'WK1', version: 5, idleSince: 50 }));
    // Same worker version, but the workspace switched multitasking off: capacities derived again.
    const singleTasking = { voice: { capacity: 1, assigned: 0, available: true }, chat: { capacity: 1, assigned: 0, available: true } };
    expect(await index.upsertWorker(worker({ workspaceSid: ws, workerSid: 'WK1', version: 5, idleSince: 50, channels: singleTasking }))).toBe(true);
    expect((await index.getWorker(ws, 'WK1'))?.channels).toEqual(singleTasking);

    expect(await index.upsertWorker(worker({ workspaceSid: ws, workerSid: 'WK1', version: 6, idleSince: 60, queues: ['WQ2'] }))).toBe(true);
    expect(await index.candidates(ws, 'WQ1', 'voice', 10)).toEqual([]);
    expect(await index.candidates(ws, 'WQ2', 'voice', 10)).toEqual([{ workerSid: 'WK1', idleSince: 60, freeCapacity: 1 }]);
  });

  it('moves a worker between queues without touching its capacity, only at the version it was computed from', async () => {
    const ws = 'WS-queues';
    await index.upsertWorker(worker({ workspaceSid: ws, workerSid: 'WK1', version: 7, idleSince: 70, channels: { voice: { capacity: 2, assigned: 1, available: true } } }));
    expect(await index.setWorkerQueues(ws, 'WK1', 6, ['WQ9'])).toBe(false);
    expect(await index.setWorkerQueues(ws, 'WK1', 7, ['WQ2', 'WQ3'])).toBe(true);
    expect(await index.candidates(ws, 'WQ1', 'voice', 10)).toEqual([]);
    expect(await index.candidates(ws, 'WQ3', 'voice', 10)).toEqual([{ workerSid: 'WK1', idleSince: 70, freeCapacity: 1 }]);
    expect((await index.getWorker(ws, 'WK1'))?.channels['voice']).toEqual({ capacity: 2, assigned: 1, available: true });
    expect(await index.setWorkerQueues(ws, 'WK404', 1, ['WQ2'])).toBe(false);
  });

  it('keeps a removed worker removed against redelivered older upserts', async () => {
    const ws = 'WS-remove';
    await index.upsertWorker(worker({ workspaceSid: ws, workerSid: 'WK1', version: 3 }));
    expect(await index.removeWorker(ws, 'WK1', 4)).toBe(true);

    expect(await index.upsertWorker(worker({ workspaceSid: ws, workerSid: 'WK1', version: 3 }))).toBe(false);
    expect(await index.upsertWorker(worker({ workspaceSid: ws, workerSid: 'WK1', version: 4 }))).toBe(false);
    expect(await index.removeWorker(ws, 'WK1', 4)).toBe(false);
    expect(await index.getWorker(ws, 'WK1')).toBeNull();
    expect(await index.candidates(ws, 'WQ1', 'voice', 10)).toEqual([]);
    expect(await index.reserve(ws, 'WK1', 'voice')).toBe(false);
  });
});

describe('candidates', () => {
  it('lists available workers with free capacity on the channel in the queue, longest idle first', async () => {
    const ws = 'WS-candidates';
    const voice = (capacity: number, assigned: number, available = true) => ({ voice: { capacity, assigned, available } });
    await index.upsertWorker(worker({ workspaceSid: ws, workerSid: 'WK-recent', idleSince: 3_000, channels: voice(2, 0) }));
    await index.upsertWorker(worker({ workspaceSid: ws, workerSid: 'WK-oldest', idleSince: 1_000, channels: voice(3, 1) }));
    await index.upsertWorker(worker({ workspaceSid: ws, workerSid: 'WK-middle', idleSince: 2_000, channels: voice(1, 0) }));
    await index.upsertWorker(worker({ workspaceSid: ws, workerSid: 'WK-full', idleSince: 500, channels: voice(1, 1) }));
    await index.upsertWorker(worker({ workspaceSid: ws, workerSid: 'WK-offline', idleSince: 400, available: false }));
    await index.upsertWorker(worker({ workspaceSid: ws, workerSid: 'WK-voice-off', idleSince: 300, channels: voice(1, 0, false) }));
    await index.upsertWorker(worker({ workspaceSid: ws, workerSid: 'WK-chat-only', idleSince: 200, channels: { chat: { capacity: 1, assigned: 0, available: true } } }));
    await index.upsertWorker(worker({ workspaceSid: ws, workerSid: 'WK-other-queue', idleSince: 100, queues: ['WQ2'] }));

    expect(await index.candidates(ws, 'WQ1', 'voice', 10)).toEqual([
      { workerSid: 'WK-oldest', idleSince: 1_000, freeCapacity: 2 },
      { workerSid: 'WK-middle', idleSince: 2_000, freeCapacity: 1 },
      { workerSid: 'WK-recent', idleSince: 3_000, freeCapacity: 2 },
    ]);
    expect(await index.candidates(ws, 'WQ1', 'voice', 2)).toHaveLength(2);
    expect(await index.candidates(ws, 'WQ1', 'chat', 10)).toEqual([{ workerSid: 'WK-chat-only', idleSince: 200, freeCapacity: 1 }]);
  });
});

describe('waiting tasks', () => {
  it('orders by priority, highest first, then by age, oldest first; re-enqueue replaces; remove removes', async () => {
    const ws = 'WS-tasks';
    await index.enqueueTask(ws, 'WQ1', { taskSid: 'WT-low-old', priority: 0, enteredAt: 1_000, channel: 'voice' });
    await index.enqueueTask(ws, 'WQ1', { taskSid: 'WT-high-new', priority: 10, enteredAt: 5_000, channel: 'chat' });
    await index.enqueueTask(ws, 'WQ1', { taskSid: 'WT-high-old', priority: 10, enteredAt: 2_000, channel: 'voice' });
    await index.enqueueTask(ws, 'WQ1', { taskSid: 'WT-mid', priority: 5, enteredAt: 9_000, channel: 'voice' });
    await index.enqueueTask(ws, 'WQ2', { taskSid: 'WT-elsewhere', priority: 99, enteredAt: 1, channel: 'voice' });

    expect((await index.waitingTasks(ws, 'WQ1', 10)).map((t) => t.taskSid)).toEqual(['WT-high-old', 'WT-high-new', 'WT-mid', 'WT-low-old']);
    expect(await index.waitingTasks(ws, 'WQ1', 1)).toEqual([{ taskSid: 'WT-high-old', priority: 10, enteredAt: 2_000, channel: 'voice' }]);

    await index.enqueueTask(ws, 'WQ1', { taskSid: 'WT-low-old', priority: 20, enteredAt: 1_000, channel: 'voice' });
    await index.removeTask(ws, 'WQ1', 'WT-mid');
    await index.removeTask(ws, 'WQ1', 'WT-never-there');

    expect((await index.waitingTasks(ws, 'WQ1', 10)).map((t) => t.taskSid)).toEqual(['WT-low-old', 'WT-high-old', 'WT-high-new']);
    expect(await index.waitingCount(ws, 'WQ1')).toBe(3);
  });
});

describe('flushWorkspace', () => {
  it('deletes every key of the workspace and nothing of the others, even with glob characters and shared prefixes', async () => {
    const workspaces = ['WS*', 'WSX', 'WS*1', 'WS[*]'];
    for (const ws of workspaces) {
      await index.upsertWorker(worker({ workspaceSid: ws, workerSid: 'WK1' }));
      await index.enqueueTask(ws, 'WQ1', { taskSid: 'WT1', priority: 1, enteredAt: 1, channel: 'voice' });
    }

    await index.flushWorkspace('WS*');

    expect(await index.getWorker('WS*', 'WK1')).toBeNull();
    expect(await index.candidates('WS*', 'WQ1', 'voice', 10)).toEqual([]);
    expect(await index.waitingTasks('WS*', 'WQ1', 10)).toEqual([]);
    expect(await keysMatching(`${keyPrefix}{WS\\*}:*`)).toEqual([]);
    expect(await keysMatching(`${keyPrefix}{WSX}:*`)).not.toEqual([]);
    for (const ws of ['WSX', 'WS*1', 'WS[*]']) {
      expect(await index.getWorker(ws, 'WK1')).not.toBeNull();
      expect(await index.candidates(ws, 'WQ1', 'voice', 10)).toHaveLength(1);
      expect(await index.waitingTasks(ws, 'WQ1', 10)).toHaveLength(1);
    }
  });
});

describe('worker openings', () => {
  const voice = (capacity: number, assigned: number, available = true) => ({ voice: { capacity, assigned, available } });

  it('upserts the worker and lists the waiting tasks of its queues in the same step, only with free capacity', async () => {
    const ws = 'WS-openings';
    await index.enqueueTask(ws, 'WQ1', { taskSid: 'WT-old', priority: 0, enteredAt: 1_000, channel: 'voice' });
    await index.enqueueTask(ws, 'WQ1', { taskSid: 'WT-urgent', priority: 9, enteredAt: 2_000, channel: 'voice' });
    await index.enqueueTask(ws, 'WQ2', { taskSid: 'WT-other', priority: 1, enteredAt: 500, channel: 'chat' });
    await index.enqueueTask(ws, 'WQ3', { taskSid: 'WT-not-mine', priority: 1, enteredAt: 500, channel: 'voice' });

    const busy = await index.upsertWorkerAndOpenings(worker({ workspaceSid: ws, workerSid: 'WK1', queues: ['WQ1', 'WQ2'], channels: voice(1, 1), version: 2 }), 10);
    expect(busy.applied).toBe(true);
    expect(busy.openings.worker?.channels.voice).toEqual({ capacity: 1, assigned: 1, available: true });
    expect(busy.openings.waiting).toEqual([]);

    const free = await index.upsertWorkerAndOpenings(worker({ workspaceSid: ws, workerSid: 'WK1', queues: ['WQ1', 'WQ2'], channels: voice(1, 0), version: 3 }), 10);
    expect(free.applied).toBe(true);
    expect(free.openings.waiting).toEqual([
      { taskSid: 'WT-urgent', priority: 9, enteredAt: 2_000, channel: 'voice', queueSid: 'WQ1' },
      { taskSid: 'WT-old', priority: 0, enteredAt: 1_000, channel: 'voice', queueSid: 'WQ1' },
      { taskSid: 'WT-other', priority: 1, enteredAt: 500, channel: 'chat', queueSid: 'WQ2' },
    ]);
    expect(await index.candidates(ws, 'WQ1', 'voice', 10)).toEqual([{ workerSid: 'WK1', idleSince: 1_000, freeCapacity: 1 }]);
    expect((await index.upsertWorkerAndOpenings(worker({ workspaceSid: ws, workerSid: 'WK1', queues: ['WQ1', 'WQ2'], version: 3 }), 1)).openings.waiting)
      .toEqual([expect.objectContaining({ taskSid: 'WT-urgent' }), expect.objectContaining({ taskSid: 'WT-other' })]);
  });

  it('answers the stored state when the upsert is stale, and nothing for an unavailable, unknown or removed worker', async () => {
    const ws = 'WS-openings-stale';
    await index.enqueueTask(ws, 'WQ1', { taskSid: 'WT1', priority: 0, enteredAt: 1_000, channel: 'voice' });
    await index.upsertWorker(worker({ workspaceSid: ws, workerSid: 'WK1', version: 5 }));
    const stale = await index.upsertWorkerAndOpenings(worker({ workspaceSid: ws, workerSid: 'WK1', version: 4, available: false }), 10);
    expect(stale.applied).toBe(false);
    expect(stale.openings.worker).toEqual(worker({ workspaceSid: ws, workerSid: 'WK1', version: 5 }));
    expect(stale.openings.waiting.map((t) => t.taskSid)).toEqual(['WT1']);
    expect(await index.openings(ws, 'WK1', 10)).toEqual(stale.openings);

    await index.upsertWorker(worker({ workspaceSid: ws, workerSid: 'WK-offline', available: false }));
    expect(await index.openings(ws, 'WK-offline', 10)).toEqual({ worker: expect.objectContaining({ available: false }), waiting: [] });
    await index.upsertWorker(worker({ workspaceSid: ws, workerSid: 'WK-voice-off', channels: voice(1, 0, false) }));
    expect((await index.openings(ws, 'WK-voice-off', 10)).waiting).toEqual([]);
    expect(await index.openings(ws, 'WK-nobody', 10)).toEqual({ worker: null, waiting: [] });
    await index.removeWorker(ws, 'WK1', 6);
    expect(await index.openings(ws, 'WK1', 10)).toEqual({ worker: null, waiting: [] });
  });
});

describe('offerTask', () => {
  const task = (taskSid: string) => ({ taskSid, priority: 2, enteredAt: 3_000, channel: 'voice' });

  it('without candidates, enqueues the task when it may wait, and leaves the list alone when it may not', async () => {
    const ws = 'WS-offer-none';
    expect(await index.offerTask(ws, 'WQ1', task('WT-skip'), 10, { waitIfNone: false })).toEqual({ candidates: [], waiting: false, nonCandidates: [] });
    expect(await index.waitingTasks(ws, 'WQ1', 10)).toEqual([]);
    expect(await index.offerTask(ws, 'WQ1', task('WT1'), 10, { waitIfNone: true, othersLimit: 5 })).toEqual({ candidates: [], waiting: true, nonCandidates: [] });
    expect(await index.offerTask(ws, 'WQ1', task('WT1'), 10, { waitIfNone: true, othersLimit: 5 })).toEqual({ candidates: [], waiting: true, nonCandidates: [] });
    expect(await index.waitingTasks(ws, 'WQ1', 10)).toEqual([task('WT1')]);
  });

  it('with candidates, answers them and takes the task out of the waiting list', async () => {
    const ws = 'WS-offer-some';
    await index.enqueueTask(ws, 'WQ1', task('WT1'));
    await index.enqueueTask(ws, 'WQ1', task('WT2'));
    await index.upsertWorker(worker({ workspaceSid: ws, workerSid: 'WK-full', idleSince: 10, channels: { voice: { capacity: 1, assigned: 1, available: true } } }));
    await index.upsertWorker(worker({ workspaceSid: ws, workerSid: 'WK1', idleSince: 20 }));
    expect(await index.offerTask(ws, 'WQ1', task('WT1'), 10, { waitIfNone: true })).toEqual({ candidates: [{ workerSid: 'WK1', idleSince: 20, freeCapacity: 1 }], waiting: false, nonCandidates: [] });
    expect((await index.waitingTasks(ws, 'WQ1', 10)).map((t) => t.taskSid)).toEqual(['WT2']);
  });

  it('with candidates, answers up to othersLimit members of the queue that are not candidates, and why', async () => {
    const ws = 'WS-offer-others';
    const voice = (capacity: number, assigned: number, available = true) => ({ voice: { capacity, assigned, available } });
    await index.upsertWorker(worker({ workspaceSid: ws, workerSid: 'WK-free', idleSince: 10 }));
    await index.upsertWorker(worker({ workspaceSid: ws, workerSid: 'WK-offline', available: false }));
    await index.upsertWorker(worker({ workspaceSid: ws, workerSid: 'WK-full', channels: voice(1, 1) }));
    await index.upsertWorker(worker({ workspaceSid: ws, workerSid: 'WK-voice-off', channels: voice(1, 0, false) }));
    await index.upsertWorker(worker({ workspaceSid: ws, workerSid: 'WK-other-queue', available: false, queues: ['WQ2'] }));
    await index.upsertWorker(worker({ workspaceSid: ws, workerSid: 'WK-removed', available: false }));
    await index.removeWorker(ws, 'WK-removed', 2);
    // Moved out of WQ1 by a queue change: no longer a member.
    await index.upsertWorker(worker({ workspaceSid: ws, workerSid: 'WK-moved', available: false }));
    await index.setWorkerQueues(ws, 'WK-moved', 1, ['WQ2']);

    const offer = await index.offerTask(ws, 'WQ1', task('WT1'), 10, { waitIfNone: true, othersLimit: 10 });
    expect(offer.candidates.map((c) => c.workerSid)).toEqual(['WK-free']);
    expect(offer.nonCandidates).toEqual([
      { workerSid: 'WK-full', reason: 'no_capacity' },
      { workerSid: 'WK-offline', reason: 'unavailable' },
      { workerSid: 'WK-voice-off', reason: 'channel_unavailable' },
    ]);
    expect((await index.offerTask(ws, 'WQ1', task('WT1'), 10, { waitIfNone: true, othersLimit: 2 })).nonCandidates).toHaveLength(2);
    expect((await index.offerTask(ws, 'WQ1', task('WT1'), 10, { waitIfNone: true })).nonCandidates).toEqual([]);
  });
});
