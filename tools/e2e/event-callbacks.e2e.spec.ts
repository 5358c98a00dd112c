import { createServer, type Server } from 'node:http';
import { Pool } from 'pg';
import twilio from 'twilio';
import { cleanUpTestStack, eventually, freePort, startServices, TaskRouterTestClient, testDatabaseUrl, uniqueName, type RunningServices } from '@taskrouter/testing';

/** TaskRouter's callback names for event_data keys: `task_queue_sid` → `TaskQueueSid`. */
const pascalCase = (snake: string) => snake.split('_').map((word) => word[0]!.toUpperCase() + word.slice(1)).join('');

interface Received {
  readonly path: string;
  readonly params: Record<string, string>;
  readonly signature: string;
}

/**
 * Event callbacks (reference §10.1) end to end: a workspace's EventCallbackUrl receives its
 * Events, form-encoded with TaskRouter's parameters and signed; EventsFilter picks the types;
 * an endpoint that fails is tried again, keeping the order of one resource's Events; one that
 * never succeeds is dropped after its tries and recorded.
 */
describe('event callbacks', () => {
  const name = uniqueName('evcb');
  const token = 'e2e-event-callback-token-0000000';
  let services: RunningServices;
  let api: TaskRouterTestClient;
  let server: Server;
  let base: string;
  const received: Received[] = [];
  /** Per path, how many calls to answer 500 before answering 204 (`Infinity`: never). */
  const failuresLeft = new Map<string, number>();

  beforeAll(async () => {
    server = createServer((request, response) => {
      let body = '';
      request.on('data', (chunk) => (body += chunk));
      request.on('end', () => {
        const path = request.url ?? '';
        const left = failuresLeft.get(path) ?? 0;
        received.push({ path, params: Object.fromEntries(new URLSearchParams(body)), signature: String(request.headers['x-twilio-signature']) });
        if (left > 0) {
          failuresLeft.set(path, left - 1);
          response.writeHead(500).end();
          return;
        }
        response.writeHead(204, { 'content-type': 'application/json' }).end();
      });
    });
    const port = await freePort();
    await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${port}`;
    services = await startServices({
      schema: name, topicPrefix: name, port: await freePort(), env: { EVENT_CALLBACK_RETRY_DELAYS_MS: '200,200', TASKROUTER_DEV_AUTH_TOKEN: token },
    });
    api = new TaskRouterTestClient(services.baseUrl);
  });

  afterAll(async () => {
    await services?.stop();
    await cleanUpTestStack(name);
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  /** A workspace calling `path`, with one queue, workflow and available worker; returns what routes a task. */
  const workspaceCalling = async (path: string, eventsFilter?: string) => {
    const ws = (await api.ok('POST', 'Workspaces', { FriendlyName: uniqueName('ws'), EventCallbackUrl: `${base}${path}`, ...(eventsFilter ? { EventsFilter: eventsFilter } : {}) })).sid as string;
    const activities = (await api.ok('GET', `Workspaces/${ws}/Activities`)).activities as Array<{ sid: string; friendly_name: string }>;
    const available = activities.find((a) => a.friendly_name === 'Available')!.sid;
    const queue = (await api.ok('POST', `Workspaces/${ws}/TaskQueues`, { FriendlyName: 'q', TargetWorkers: '1==1' })).sid as string;
    const workflow = (await api.ok('POST', `Workspaces/${ws}/Workflows`, {
      FriendlyName: 'wf', Configuration: JSON.stringify({ task_routing: { filters: [], default_filter: { queue } } }),
    })).sid as string;
    const worker = (await api.ok('POST', `Workspaces/${ws}/Workers`, { FriendlyName: 'agent', ActivitySid: available })).sid as string;
    return { ws, queue, workflow, worker };
  };

  /** A task taken through reservation, accept and completion. */
  const taskLifecycle = async (ws: string, workflow: string) => {
    const task = (await api.ok('POST', `Workspaces/${ws}/Tasks`, { WorkflowSid: workflow, Attributes: '{"order":1}' })).sid as string;
    const reservation = await eventually(async () => (await api.ok('GET', `Workspaces/${ws}/Tasks/${task}/Reservations`)).reservations[0]?.sid as string | undefined, { what: 'a reservation' });
    await api.ok('POST', `Workspaces/${ws}/Tasks/${task}/Reservations/${reservation}`, { ReservationStatus: 'accepted' });
    await api.ok('POST', `Workspaces/${ws}/Tasks/${task}`, { AssignmentStatus: 'completed', Reason: 'done' });
    return { task, reservation };
  };

  const ofTask = (path: string, task: string) => received.filter((r) => r.path === path && r.params.TaskSid === task);
  const successes = (path: string, task: string) => {
    // A type answered 500 appears once per try: keep the last try of each Event.
    const bySid = new Map(ofTask(path, task).map((r) => [r.params.Sid, r.params.EventType]));
    return [...bySid.values()];
  };

  it("posts a task's life to the EventCallbackUrl with TaskRouter's parameters, signed, in order, and the same as GET /Events", async () => {
    const path = '/all';
    const { ws, queue, workflow, worker } = await workspaceCalling(path);
    const { task, reservation } = await taskLifecycle(ws, workflow);
    await eventually(async () => (ofTask(path, task).some((r) => r.params.EventType === 'reservation.completed') ? true : undefined), { what: 'the last callback of the task' });

    const types = ofTask(path, task).map((r) => r.params.EventType);
    const life = ['task.created', 'task-queue.entered', 'reservation.created', 'reservation.accepted', 'task.completed', 'reservation.completed'];
    expect(types.filter((type) => life.includes(type))).toEqual(life);
    const accepted = ofTask(path, task).find((r) => r.params.EventType === 'reservation.accepted')!;
    expect(accepted.params).toMatchObject({
      AccountSid: 'AC00000000000000000000000000000001', WorkspaceSid: ws, ResourceType: 'Reservation', ResourceSid: reservation,
      TaskSid: task, WorkerSid: worker, TaskQueueSid: queue, WorkflowSid: workflow, TaskAttributes: '{"order":1}', ReservationSid: reservation,
    });
    expect(Number(accepted.params.Timestamp)).toBe(Math.floor(Number(accepted.params.TimestampMs) / 1000));
    expect(twilio.validateRequest(token, accepted.signature, `${base}${path}`, accepted.params)).toBe(true);
    // The callback is the REST resource's Event, under PascalCase names.
    const event = await api.ok('GET', `Workspaces/${ws}/Events/${accepted.params.Sid}`);
    expect(event).toMatchObject({ event_type: 'reservation.accepted', resource_sid: reservation, description: accepted.params.EventDescription });
    expect(event.event_data.task_sid).toBe(accepted.params.TaskSid);
  });

  it('sends only the types EventsFilter names', async () => {
    const path = '/filtered';
    const { ws, workflow } = await workspaceCalling(path, 'task.created,task.completed');
    const { task } = await taskLifecycle(ws, workflow);
    await eventually(async () => (ofTask(path, task).some((r) => r.params.EventType === 'task.completed') ? true : undefined), { what: 'task.completed' });
    expect(ofTask(path, task).map((r) => r.params.EventType)).toEqual(['task.created', 'task.completed']);
  });

  it("tries a failing endpoint again, and keeps one resource's Events in order", async () => {
    const path = '/flaky';
    failuresLeft.set(path, 2);
    const { ws, workflow } = await workspaceCalling(path, 'task.created,reservation.created,reservation.accepted,task.completed');
    const { task } = await taskLifecycle(ws, workflow);
    await eventually(async () => (ofTask(path, task).some((r) => r.params.EventType === 'task.completed') ? true : undefined), { what: 'task.completed' });
    expect(successes(path, task)).toEqual(['task.created', 'reservation.created', 'reservation.accepted', 'task.completed']);
    // The two failures were tries of the first Event the endpoint got, made again before anything after it.
    const tries = received.filter((r) => r.path === path).map((r) => r.params.EventType);
    expect(tries.slice(0, 3).every((type) => type === tries[0])).toBe(true);
  });

  it('drops a callback after its tries and records it', async () => {
    const path = '/dead';
    failuresLeft.set(path, Infinity);
    const { ws } = await workspaceCalling(path, 'worker.activity.update');
    const activities = (await api.ok('GET', `Workspaces/${ws}/Activities`)).activities as Array<{ sid: string; friendly_name: string }>;
    const worker = (await api.ok('GET', `Workspaces/${ws}/Workers`)).workers[0].sid as string;
    await api.ok('POST', `Workspaces/${ws}/Workers/${worker}`, { ActivitySid: activities.find((a) => a.friendly_name === 'Offline')!.sid });
    const pool = new Pool({ connectionString: testDatabaseUrl(), max: 1 });
    try {
      const drop = await eventually(async () => (await pool.query(`SELECT * FROM "${name}".webhook_drops WHERE workspace_sid = $1`, [ws])).rows[0], { what: 'the recorded drop' });
      expect(drop).toMatchObject({ event_type: 'worker.activity.update', destination: base, attempts: 3, reason: 'answered 500' });
      expect(received.filter((r) => r.path === path)).toHaveLength(3);
    } finally {
      await pool.end();
    }
  });

  it('sends every Event of a scripted workspace life, each the same as GET /Events lists it', async () => {
    const path = '/every';
    const ws = (await api.ok('POST', 'Workspaces', { FriendlyName: uniqueName('every'), EventCallbackUrl: `${base}${path}` })).sid as string;
    const w = (rest: string) => `Workspaces/${ws}/${rest}`;
    const activities = (await api.ok('GET', w('Activities'))).activities as Array<{ sid: string; friendly_name: string }>;
    const activity = (name: string) => activities.find((a) => a.friendly_name === name)!.sid;
    // Configuration: a queue and a workflow created, changed and (at the end) deleted.
    const queue = (await api.ok('POST', w('TaskQueues'), { FriendlyName: 'every-q', TargetWorkers: 'team == "x"' })).sid as string;
    await api.ok('POST', w(`TaskQueues/${queue}`), { TargetWorkers: 'team == "every"' });
    const configuration = JSON.stringify({ task_routing: { filters: [], default_filter: { queue } } });
    const workflow = (await api.ok('POST', w('Workflows'), { FriendlyName: 'every-wf', Configuration: configuration, TaskReservationTimeout: 1 })).sid as string;
    await api.ok('POST', w(`Workflows/${workflow}`), { FriendlyName: 'every-wf-2' });
    // Workers: created, attributes and activity changed.
    const worker = async (name: string) => (await api.ok('POST', w('Workers'), { FriendlyName: name, Attributes: '{"team":"every"}', ActivitySid: activity('Offline') })).sid as string;
    const [first, second, third] = [await worker('first'), await worker('second'), await worker('third')];
    await api.ok('POST', w(`Workers/${first}`), { Attributes: '{"team":"every","level":2}' });
    const pending = async (task: string, workerSid: string) => eventually(async () => {
      const all = (await api.ok('GET', w(`Tasks/${task}/Reservations`))).reservations as Array<{ sid: string; worker_sid: string; reservation_status: string }>;
      return all.find((r) => r.worker_sid === workerSid && r.reservation_status === 'pending')?.sid;
    }, { what: `a reservation for ${workerSid}` });
    // A task rejected by one worker, let time out by another, accepted by a third, wrapped and completed.
    await api.ok('POST', w(`Workers/${first}`), { ActivitySid: activity('Available') });
    const task = (await api.ok('POST', w('Tasks'), { WorkflowSid: workflow, Attributes: '{"case":"every"}' })).sid as string;
    await api.ok('POST', w(`Tasks/${task}/Reservations/${await pending(task, first)}`), { ReservationStatus: 'rejected' });
    await api.ok('POST', w(`Workers/${second}`), { ActivitySid: activity('Available') });
    await pending(task, second);
    await eventually(async () => ((await api.ok('GET', w(`Workers/${second}`))).activity_name === 'Offline' ? true : undefined), { what: 'the timed-out worker offline' });
    await api.ok('POST', w(`Workers/${third}`), { ActivitySid: activity('Available') });
    await api.ok('POST', w(`Tasks/${task}/Reservations/${await pending(task, third)}`), { ReservationStatus: 'accepted' });
    await api.ok('POST', w(`Tasks/${task}`), { AssignmentStatus: 'wrapping' });
    await api.ok('POST', w(`Tasks/${task}`), { AssignmentStatus: 'completed' });
    // A task changed and canceled, one canceled by its TTL.
    await api.ok('POST', w(`Workers/${third}`), { ActivitySid: activity('Offline') });
    const canceled = (await api.ok('POST', w('Tasks'), { WorkflowSid: workflow, Attributes: '{}' })).sid as string;
    await api.ok('POST', w(`Tasks/${canceled}`), { Attributes: '{"changed":true}' });
    await api.ok('POST', w(`Tasks/${canceled}`), { AssignmentStatus: 'canceled', Reason: 'no longer needed' });
    const expiring = (await api.ok('POST', w('Tasks'), { WorkflowSid: workflow, Attributes: '{}', Timeout: 1 })).sid as string;
    await eventually(async () => ((await api.ok('GET', w(`Tasks/${expiring}`))).assignment_status === 'canceled' ? true : undefined), { what: 'the TTL cancel' });
    expect((await api.request('DELETE', w(`Workflows/${workflow}`))).status).toBe(204);
    expect((await api.request('DELETE', w(`TaskQueues/${queue}`))).status).toBe(204);

    type ListedEvent = { sid: string; event_type: string; description: string; resource_sid: string; event_date_ms: number; event_data: Record<string, string> };
    const listed = async () => (await api.ok('GET', w('Events?Minutes=60&PageSize=1000'))).events as ListedEvent[];
    const expected = [
      'workspace.created', 'task-queue.created', 'task-queue.expression.updated', 'workflow.created', 'workflow.updated', 'worker.created', 'worker.attributes.update',
      'worker.activity.update', 'task.created', 'task-queue.entered', 'reservation.created', 'reservation.rejected', 'reservation.timeout', 'reservation.accepted',
      'task.wrapup', 'reservation.wrapup', 'task.completed', 'reservation.completed', 'task.updated', 'task.canceled', 'workflow.deleted', 'task-queue.deleted',
    ];
    const events = await eventually(async () => {
      const all = await listed();
      const types = new Set(all.map((e) => e.event_type));
      const called = new Set(received.filter((r) => r.path === path).map((r) => r.params.Sid));
      return expected.every((type) => types.has(type)) && all.every((e) => called.has(e.sid)) ? all : undefined;
    }, { what: 'every Event listed and called back', timeoutMs: 30_000 });
    const calls = new Map(received.filter((r) => r.path === path).map((r) => [r.params.Sid, r.params]));
    expect(new Set(calls.keys())).toEqual(new Set(events.map((e) => e.sid)));
    for (const event of events) {
      const params = calls.get(event.sid)!;
      expect({ sid: event.sid, type: params.EventType, resource: params.ResourceSid, description: params.EventDescription, at: Number(params.TimestampMs) })
        .toEqual({ sid: event.sid, type: event.event_type, resource: event.resource_sid, description: event.description, at: event.event_date_ms });
      for (const [key, value] of Object.entries(event.event_data)) expect({ sid: event.sid, key, value: params[pascalCase(key)] }).toEqual({ sid: event.sid, key, value });
    }
  });
});
