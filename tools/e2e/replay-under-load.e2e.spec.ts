import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import {
  cleanUpTestStack, eventually, freePort, startServices, TaskRouterTestClient, testDatabaseUrl, testKafkaBrokers, testRedisUrl, uniqueName,
  type RunningServices,
} from '@taskrouter/testing';

const REPO = join(__dirname, '..', '..');
const AGENTS = 4;
const TASKS = 80;

/**
 * `npm run replay` beside a busy system: agents accept and complete tasks (every write of the
 * read model, in both orders a task-and-worker decision takes its tables) while the tables are
 * rebuilt, compared in one snapshot and swapped. No request may fail (a lock cycle with the swap
 * would answer 500), no task may be lost, and every replay must verify.
 */
describe('replay while the services route', () => {
  let services: RunningServices;
  let api: TaskRouterTestClient;
  const name = uniqueName('e2e_replay');

  beforeAll(async () => {
    services = await startServices({ schema: name, topicPrefix: name, port: await freePort() });
    api = new TaskRouterTestClient(services.baseUrl);
  });
  afterAll(async () => {
    await services?.stop();
    await cleanUpTestStack(name);
  });

  const replay = () =>
    promisify(execFile)(process.execPath, ['-r', join(REPO, 'tools', 'register.js'), join(REPO, 'tools', 'replay', 'replay.ts'), '--tables-only'], {
      cwd: REPO,
      env: { ...process.env, DATABASE_URL: testDatabaseUrl(), REDIS_URL: testRedisUrl(), KAFKA_BROKERS: testKafkaBrokers().join(','), TASKROUTER_SCHEMA: name, TASKROUTER_TOPIC_PREFIX: name },
    });

  it('verifies and swaps every time, and every task is still completed', async () => {
    const workspace = (await api.ok('POST', 'Workspaces', { FriendlyName: 'busy' })).sid as string;
    const ws = (path: string) => `Workspaces/${workspace}/${path}`;
    const activities = (await api.ok('GET', ws('Activities'))).activities as Array<{ sid: string; friendly_name: string }>;
    const available = activities.find((a) => a.friendly_name === 'Available')!.sid;
    const queue = (await api.ok('POST', ws('TaskQueues'), { FriendlyName: 'all', TargetWorkers: '1==1' })).sid as string;
    const workflow = (await api.ok('POST', ws('Workflows'), { FriendlyName: 'all', Configuration: JSON.stringify({ task_routing: { filters: [], default_filter: { queue } } }) })).sid as string;
    for (let i = 0; i < AGENTS; i++) await api.ok('POST', ws('Workers'), { FriendlyName: `agent${i}`, ActivitySid: available });

    const tasks: string[] = [];
    const completed = new Set<string>();
    let creating = true;
    const load = (async () => {
      for (let i = 0; i < TASKS; i++) tasks.push((await api.ok('POST', ws('Tasks'), { WorkflowSid: workflow, Attributes: JSON.stringify({ i }) })).sid);
      creating = false;
    })();
    const agents = (async () => {
      while (creating || completed.size < tasks.length) {
        for (const taskSid of tasks.filter((sid) => !completed.has(sid))) {
          const reservations = (await api.ok('GET', ws(`Tasks/${taskSid}/Reservations`))).reservations as Array<{ sid: string; reservation_status: string }>;
          const pending = reservations.find((r) => r.reservation_status === 'pending');
          if (!pending) continue;
          await api.ok('POST', ws(`Tasks/${taskSid}/Reservations/${pending.sid}`), { ReservationStatus: 'accepted' });
          await api.ok('POST', ws(`Tasks/${taskSid}`), { AssignmentStatus: 'completed', Reason: 'done' });
          completed.add(taskSid);
        }
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    })();
    const replays: string[] = [];
    while (creating || completed.size < TASKS / 2) replays.push((await replay()).stdout);
    await Promise.all([load, agents]);
    await eventually(async () => (completed.size === TASKS ? true : undefined), { timeoutMs: 60_000, what: 'every task completed' });

    expect(replays.length).toBeGreaterThan(0);
    for (const stdout of replays) {
      expect(stdout).toContain('swapped in');
      expect(stdout).toContain('replay: verified: the rebuilt tables equal the live state');
    }
    expect(replays.join('\n')).toMatch(/[1-9]\d* of them committed during the rebuild/);
  });
});
