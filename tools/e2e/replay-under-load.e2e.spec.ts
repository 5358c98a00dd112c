import {
  cleanUpTestStack, eventually, freePort, startServices, TaskRouterTestClient, uniqueName,
  type RunningServices,
} from '@taskrouter/testing';
import { oneQueueWorkspace } from './test-support/one-queue-workspace';
import { runReplay } from './test-support/replay-command';

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

  const replay = () => runReplay({ schema: name, topicPrefix: name }, ['--tables-only']);

  it('verifies and swaps every time, and every task is still completed', async () => {
    const { ws, available, workflow } = await oneQueueWorkspace(api, 'busy');
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
    while (creating || completed.size < TASKS / 2) {
      const run = await replay();
      expect({ code: run.code, stderr: run.stderr }).toEqual({ code: 0, stderr: expect.any(String) });
      replays.push(run.stdout);
    }
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
