import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { EVENT_TOPIC_MAX_MESSAGE_BYTES } from '@taskrouter/event-store';
import { DeadLetterAdmin } from '@taskrouter/runtime';
import { cleanUpTestStack, eventually, freePort, startServices, TaskRouterTestClient, testDatabaseUrl, uniqueName, type RunningServices } from '@taskrouter/testing';
import { Partitioners } from 'kafkajs';
import { Pool } from 'pg';

const REPO_ROOT = join(__dirname, '..', '..');
const TASK_TOPIC_PARTITIONS = 12;

/** Task stream ids, at least one on each partition of the tasks topic (kafkajs's own key hashing). */
function streamsOnEveryPartition(): string[] {
  const partitionOf = Partitioners.DefaultPartitioner();
  const partitionMetadata = Array.from({ length: TASK_TOPIC_PARTITIONS }, (_, partitionId) => ({ partitionErrorCode: 0, partitionId, leader: 0, replicas: [0], isr: [0] }));
  const byPartition = new Map<number, string>();
  for (let i = 0; byPartition.size < TASK_TOPIC_PARTITIONS; i++) {
    const streamId = `task:WTpoison${i}`;
    const partition = partitionOf({ topic: 'tasks', partitionMetadata, message: { key: streamId, value: null } });
    if (!byPartition.has(partition)) byPartition.set(partition, streamId);
  }
  return [...byPartition.values()];
}

/**
 * What the edge cannot stop (a bug writing an event no handler can take, an event larger than the
 * topic takes) must not stop routing: the four services park it, raise the alarm, and route the
 * next task; the operator command lists and drops what was parked.
 */
describe('dead letters across the four services', () => {
  let services: RunningServices;
  let pool: Pool;
  const name = uniqueName('e2e_dl');

  beforeAll(async () => {
    services = await startServices({ schema: name, topicPrefix: name, port: await freePort() });
    pool = new Pool({ connectionString: testDatabaseUrl(), max: 2 });
  });
  afterAll(async () => {
    await pool?.end();
    await services?.stop();
    await cleanUpTestStack(name);
  });

  const command = async (...argv: string[]) => {
    const { stdout } = await promisify(execFile)(process.execPath, ['-r', join(REPO_ROOT, 'tools', 'register.js'), join(REPO_ROOT, 'tools', 'dead-letters', 'dead-letters.ts'), ...argv], {
      cwd: REPO_ROOT, env: { ...process.env, DATABASE_URL: testDatabaseUrl(), TASKROUTER_SCHEMA: name },
    });
    return stdout;
  };

  it('parks a poison event on every task partition and an oversized one, and still routes a task', async () => {
    // Written straight into the log, as a bug would: `data` null makes the evaluator's and the
    // timer's TaskCreated handlers throw, every time; the large one is over the topic's limit.
    const poison = streamsOnEveryPartition();
    for (const streamId of poison) {
      await pool.query(`INSERT INTO "${name}".events (stream_id, stream_version, type, data) VALUES ($1, 1, 'TaskCreated', 'null')`, [streamId]);
    }
    await pool.query(
      `INSERT INTO "${name}".events (stream_id, stream_version, type, data) VALUES ('task:WToversized', 1, 'TaskUpdated', jsonb_build_object('padding', repeat('x', $1::int)))`,
      [EVENT_TOPIC_MAX_MESSAGE_BYTES + 1024]);

    const api = new TaskRouterTestClient(services.baseUrl);
    const workspace = (await api.ok('POST', 'Workspaces', { FriendlyName: 'dl' })).sid as string;
    const ws = (path: string) => `Workspaces/${workspace}/${path}`;
    const activities = (await api.ok('GET', ws('Activities'))).activities as Array<{ sid: string; friendly_name: string }>;
    const queue = (await api.ok('POST', ws('TaskQueues'), { FriendlyName: 'all', TargetWorkers: '1==1' })).sid as string;
    const flow = (await api.ok('POST', ws('Workflows'), { FriendlyName: 'wf', Configuration: JSON.stringify({ task_routing: { filters: [], default_filter: { queue } } }) })).sid as string;
    const available = activities.find((a) => a.friendly_name === 'Available')?.sid ?? 'missing';
    const agent = (await api.ok('POST', ws('Workers'), { FriendlyName: 'agent', ActivitySid: available })).sid as string;
    const task = (await api.ok('POST', ws('Tasks'), { WorkflowSid: flow, Attributes: '{}' })).sid as string;

    // Behind each poison event: its five tries (about 1.5 s), and the relay's for the large one.
    const reservation = await eventually(async () => ((await api.ok('GET', ws(`Tasks/${task}/Reservations`))).reservations as Array<{ worker_sid: string }>)[0], {
      timeoutMs: 30_000, what: 'the reservation of a task behind the poison events',
    });
    expect(reservation.worker_sid).toBe(agent);

    const admin = new DeadLetterAdmin(pool, name);
    const summary = await eventually(async () => {
      const counts = await admin.summary();
      return counts.reduce((sum, c) => sum + c.parked, 0) >= 2 * poison.length + 1 ? counts : undefined;
    }, { timeoutMs: 30_000, what: 'every poison event parked' });
    expect(summary).toEqual([
      { consumer: `${name}.reservation-timer`, parked: poison.length, held: 0, markedForRetry: 0 },
      { consumer: `${name}.workflow-evaluator`, parked: poison.length, held: 0, markedForRetry: 0 },
      { consumer: `outbox-relay:${name}.events`, parked: 1, held: 0, markedForRetry: 0 },
    ].sort((a, b) => (a.consumer < b.consumer ? -1 : 1)));
    const [evaluatorLetter] = await admin.list({ consumer: `${name}.workflow-evaluator`, stream: poison[0] });
    expect(evaluatorLetter).toMatchObject({ eventType: 'TaskCreated', attempts: 5, error: expect.stringContaining('TypeError') });
    const [relayLetter] = await admin.list({ consumer: `outbox-relay:${name}.events` });
    expect(relayLetter).toMatchObject({ streamKey: 'task:WToversized', error: expect.stringContaining('larger than the max message size') });
    expect(services.output('workflow-evaluator')).toContain('"source":"DeadLetters"');

    const listed = await command('list');
    expect(listed).toContain(`dead letters of ${name}.workflow-evaluator: ${poison.length} parked, 0 held`);
    expect(await command('drop', '--all')).toContain(`dropped ${2 * poison.length + 1} dead letters`);
    expect(await command('list')).toContain('dead letters: none');
  });
});
