import { Pool } from 'pg';
import { cleanUpTestStack, eventually, freePort, startServices, TaskRouterTestClient, testDatabaseUrl, uniqueName, type RunningServices } from '@taskrouter/testing';

/**
 * One account's input must never stop routing for the others. Two requests once did: a workflow
 * whose filter name held a lone surrogate (accepted, then every task on it made the evaluator's
 * handler fail forever, holding its partition) and a configuration just under TaskRouter's size
 * limit whose event was larger than Kafka's default record limit (the relay stopped for every
 * account). Now the first is refused at the edge and the second travels like any other event.
 */
describe('one account cannot stop routing for another', () => {
  let services: RunningServices;
  let pool: Pool;
  const name = uniqueName('e2e_poison');
  const attacker = () => new TaskRouterTestClient(services.baseUrl, 'AC0000000000000000000000000000000a', 'token-a');
  const victim = () => new TaskRouterTestClient(services.baseUrl, 'AC0000000000000000000000000000000b', 'token-b');

  beforeAll(async () => {
    services = await startServices({ schema: name, topicPrefix: name, port: await freePort() });
    pool = new Pool({ connectionString: testDatabaseUrl(), max: 2 });
  });
  afterAll(async () => {
    await pool?.end();
    await services?.stop();
    await cleanUpTestStack(name);
  });

  async function workspaceWithQueue(api: TaskRouterTestClient) {
    const workspace = (await api.ok('POST', 'Workspaces', { FriendlyName: 'ws' })).sid as string;
    const ws = (path: string) => `Workspaces/${workspace}/${path}`;
    const activities = (await api.ok('GET', ws('Activities'))).activities as Array<{ sid: string; friendly_name: string }>;
    const available = activities.find((a) => a.friendly_name === 'Available')!.sid;
    const queue = (await api.ok('POST', ws('TaskQueues'), { FriendlyName: 'all', TargetWorkers: '1==1' })).sid as string;
    return { ws, available, queue };
  }

  const eventCount = async () => (await pool.query<{ n: number }>(`SELECT count(*)::int AS n FROM "${name}".events`)).rows[0].n;

  it('refuses poison text, carries a maximal configuration, and another account is still routed', async () => {
    const a = attacker();
    const { ws, available, queue } = await workspaceWithQueue(a);
    const before = await eventCount();
    for (const poison of ['\ud800', 'nul\u0000name']) {
      const configuration = `{"task_routing":{"filters":[{"filter_friendly_name":${JSON.stringify(poison)},"expression":"1==1","targets":[{"queue":"${queue}"}]}]}}`;
      const refused = await a.request('POST', ws('Workflows'), { FriendlyName: 'poison', Configuration: configuration });
      expect(refused.status).toBe(400);
      expect(refused.body).toMatchObject({ status: 400, code: expect.any(Number), message: expect.any(String), more_info: expect.any(String) });
    }
    expect(await eventCount()).toBe(before);

    // About 1 MB of configuration, mostly quotes: its event is far over Kafka's 1 MB default once escaped.
    const list = `[${Array.from({ length: 1_000 }, () => '""').join(',')}]`;
    const filters = Array.from({ length: 200 }, (_, i) => ({ filter_friendly_name: `f${i}`, expression: `tag IN ${list}`, targets: [{ queue }] }));
    const configuration = JSON.stringify({ task_routing: { filters, default_filter: { queue } } });
    expect(Buffer.byteLength(configuration)).toBeGreaterThan(1_000_000);
    expect(Buffer.byteLength(configuration)).toBeLessThanOrEqual(1_038_576);
    const big = (await a.ok('POST', ws('Workflows'), { FriendlyName: 'big', Configuration: configuration })).sid as string;
    const stored = await pool.query<{ bytes: number }>(`SELECT octet_length(data::text)::int AS bytes FROM "${name}".events WHERE type = 'WorkflowCreated' AND data->>'workflowSid' = $1`, [big]);
    expect(stored.rows[0].bytes).toBeGreaterThan(1_048_576);

    const v = victim();
    const other = await workspaceWithQueue(v);
    const flow = (await v.ok('POST', other.ws('Workflows'), { FriendlyName: 'wf', Configuration: JSON.stringify({ task_routing: { filters: [], default_filter: { queue: other.queue } } }) })).sid as string;
    const agent = (await v.ok('POST', other.ws('Workers'), { FriendlyName: 'agent', ActivitySid: other.available })).sid as string;
    const task = (await v.ok('POST', other.ws('Tasks'), { WorkflowSid: flow, Attributes: '{}' })).sid as string;
    // A bound for a healthy pipeline, loose enough for a loaded CI machine (idle routing takes ~50 ms).
    const reservation = await eventually(async () =>
      ((await v.ok('GET', other.ws(`Tasks/${task}/Reservations`))).reservations as Array<{ worker_sid: string }>)[0], { timeoutMs: 5_000, intervalMs: 50, what: 'the other account\'s reservation' });
    expect(reservation.worker_sid).toBe(agent);

    // The large workflow works too: a task on it is routed by its default filter.
    await a.ok('POST', ws('Workers'), { FriendlyName: 'a-agent', ActivitySid: available });
    const onBig = (await a.ok('POST', ws('Tasks'), { WorkflowSid: big, Attributes: '{"tag":"x"}' })).sid as string;
    await eventually(async () => (((await a.ok('GET', ws(`Tasks/${onBig}/Reservations`))).reservations as unknown[])[0]), { timeoutMs: 10_000, what: 'a reservation on the large workflow' });
  });
});
