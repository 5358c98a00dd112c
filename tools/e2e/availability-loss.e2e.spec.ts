import Redis from 'ioredis';
import { AvailabilityIndex } from '@taskrouter/availability';
import { Pool } from 'pg';
import { cleanUpTestStack, eventually, freePort, startServices, TaskRouterTestClient, testDatabaseUrl, testRedisUrl, uniqueName, type RunningServices } from '@taskrouter/testing';
import { oneQueueWorkspace } from './test-support/one-queue-workspace';

/**
 * Redis holds only what the log can rebuild. When it loses its data (a restart without
 * persistence, FLUSHALL, eviction) while the services run, the matcher must notice by itself
 * and restore both halves of the index: the workers and the waiting lists. Otherwise tasks wait
 * forever next to idle workers, since no event will come to say they are there.
 */
describe('the availability index after Redis lost its data', () => {
  let services: RunningServices;
  let api: TaskRouterTestClient;
  let redis: Redis;
  const name = uniqueName('e2e_loss');

  beforeAll(async () => {
    services = await startServices({ schema: name, topicPrefix: name, port: await freePort() });
    api = new TaskRouterTestClient(services.baseUrl);
    redis = new Redis(testRedisUrl(), { maxRetriesPerRequest: 3 });
  });
  afterAll(async () => {
    redis?.disconnect();
    await services?.stop();
    await cleanUpTestStack(name);
  });

  /** Runs `wait`; when it gives up, prints the log, the index and the matcher's output before failing as it did. */
  async function explainedIfMissing<T>(wait: () => Promise<T>, at: { workspace: string; queue: string; agent: string; index: AvailabilityIndex }): Promise<T> {
    try {
      return await wait();
    } catch (error) {
      const pool = new Pool({ connectionString: testDatabaseUrl() });
      const { rows } = await pool.query(`SELECT stream_id, stream_version, type, metadata->>'source' AS source, recorded_at FROM "${name}".events ORDER BY position`);
      await pool.end();
      const events = rows.map((r) => `${(r.recorded_at as Date).toISOString()} ${r.stream_id} v${r.stream_version} ${r.type} (${r.source})`);
      process.stderr.write([
        'availability-loss: what the log, the index and the matcher held when the reservation did not come',
        ...events,
        `worker in the index: ${JSON.stringify(await at.index.getWorker(at.workspace, at.agent))}`,
        `waiting in the index: ${JSON.stringify(await at.index.waitingTasks(at.workspace, at.queue, 10))}`,
        services.output('queue-matcher'),
      ].join('\n') + '\n');
      throw error;
    }
  }

  /** Every key of this deployment gone at once, as when its Redis restarts empty. */
  async function loseEveryKey(): Promise<number> {
    let removed = 0;
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${name}:*`, 'COUNT', 1000);
      if (keys.length > 0) removed += await redis.del(...keys);
      cursor = next;
    } while (cursor !== '0');
    return removed;
  }

  it('rebuilds the workers and the waiting lists, and the waiting tasks are reserved when the worker frees up', async () => {
    const { workspace, ws, available, offline, queue, workflow } = await oneQueueWorkspace(api, 'loss');
    const agent = (await api.ok('POST', ws('Workers'), { FriendlyName: 'agent', ActivitySid: available })).sid as string;
    const later = (await api.ok('POST', ws('Workers'), { FriendlyName: 'later', ActivitySid: offline })).sid as string;
    const task = async () => (await api.ok('POST', ws('Tasks'), { WorkflowSid: workflow, Attributes: '{}' })).sid as string;
    const pendingReservation = (taskSid: string) => eventually(async () =>
      ((await api.ok('GET', ws(`Tasks/${taskSid}/Reservations`))).reservations as Array<{ sid: string; worker_sid: string; reservation_status: string }>)
        .find((r) => r.reservation_status === 'pending'), { what: `a pending reservation for ${taskSid}` });

    const first = await task();
    const firstReservation = await pendingReservation(first);
    const index = new AvailabilityIndex(redis, { keyPrefix: `${name}:` });
    const waiting = (count: number) => eventually(async () => ((await index.waitingCount(workspace, queue)) === count ? true : undefined), { what: `${count} tasks waiting` });
    // The queue is first in, first out by the time a task entered it, not by its creation: the
    // second task must be waiting before the third is created, or either may enter first.
    const second = await task();
    await waiting(1);
    const third = await task();
    await waiting(2);

    expect(await loseEveryKey()).toBeGreaterThan(0);
    expect(await index.waitingCount(workspace, queue)).toBe(0);

    await eventually(async () => ((await index.isMarkedBuilt()) ? true : undefined), { timeoutMs: 10_000, what: 'the matcher rebuilt the index' });
    expect((await index.waitingTasks(workspace, queue, 10)).map((t) => t.taskSid).sort()).toEqual([second, third].sort());
    expect(await index.getWorker(workspace, agent)).toMatchObject({ workerSid: agent });
    expect(services.output('queue-matcher')).toMatch(/availability index lost .* rebuilding it from the log/);

    // The agent finishes its task and takes the next one; a second agent coming online takes the last.
    await api.ok('POST', ws(`Tasks/${first}/Reservations/${firstReservation.sid}`), { ReservationStatus: 'accepted' });
    await api.ok('POST', ws(`Tasks/${first}`), { AssignmentStatus: 'completed', Reason: 'done' });
    // Should the reservation not come, what the log, the index and the matcher held is printed.
    expect((await explainedIfMissing(() => pendingReservation(second), { workspace, queue, agent, index })).worker_sid).toBe(agent);
    await api.ok('POST', ws(`Workers/${later}`), { ActivitySid: available });
    expect((await pendingReservation(third)).worker_sid).toBe(later);
  });
});
