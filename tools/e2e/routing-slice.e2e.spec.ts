import { createServer, type Server } from 'node:http';
import { EventConsumer, EventPublisher, KafkaConnection } from '@taskrouter/messaging';
import { Pool } from 'pg';
import { cleanUpTestStack, freePort, eventually, startServices, TaskRouterTestClient, testDatabaseUrl, testKafkaBrokers, uniqueName, type RunningServices } from '@taskrouter/testing';
import { runReplay } from './test-support/replay-command';

/**
 * The walking skeleton, end to end: the four services as separate processes, every hop a real
 * event over Kafka, driven only through TaskRouter's REST API.
 */
describe('routing a task end to end over Kafka, Postgres and Redis', () => {
  let services: RunningServices;
  let api: TaskRouterTestClient;
  let workspace: string;
  let available: string;
  let offline: string;
  const name = uniqueName('e2e');
  /** RoutingExplanation answers read before `npm run replay`, compared with the answers after it. */
  const explainedBeforeReplay = new Map<string, unknown>();

  beforeAll(async () => {
    services = await startServices({ schema: name, topicPrefix: name, port: await freePort() });
    api = new TaskRouterTestClient(services.baseUrl);
    workspace = (await api.ok('POST', 'Workspaces', { FriendlyName: 'e2e' })).sid;
    const activities = (await api.ok('GET', `Workspaces/${workspace}/Activities`)).activities as Array<{ sid: string; friendly_name: string }>;
    available = activities.find((a) => a.friendly_name === 'Available')!.sid;
    offline = activities.find((a) => a.friendly_name === 'Offline')!.sid;
  });

  afterAll(async () => {
    await services?.stop();
    await cleanUpTestStack(name);
  });

  const ws = (path: string) => `Workspaces/${workspace}/${path}`;
  const queue = async (targetWorkers: string) => (await api.ok('POST', ws('TaskQueues'), { FriendlyName: uniqueName('q'), TargetWorkers: targetWorkers })).sid as string;
  const workflow = async (taskRouting: object, reservationTimeout = 120) =>
    (await api.ok('POST', ws('Workflows'), { FriendlyName: uniqueName('wf'), Configuration: JSON.stringify({ task_routing: taskRouting }), TaskReservationTimeout: reservationTimeout })).sid as string;
  const worker = async (attributes: object, activity = available) =>
    (await api.ok('POST', ws('Workers'), { FriendlyName: uniqueName('agent'), Attributes: JSON.stringify(attributes), ActivitySid: activity })).sid as string;
  const task = async (workflowSid: string, attributes: object) =>
    (await api.ok('POST', ws('Tasks'), { WorkflowSid: workflowSid, Attributes: JSON.stringify(attributes) })).sid as string;
  const reservations = async (taskSid: string) => (await api.ok('GET', ws(`Tasks/${taskSid}/Reservations`))).reservations as Array<{ sid: string; worker_sid: string; reservation_status: string }>;
  const timerCount = async (taskSid: string) => {
    const pool = new Pool({ connectionString: testDatabaseUrl(), max: 1 });
    try {
      return (await pool.query<{ n: number }>(`SELECT count(*)::int AS n FROM "${name}".timers WHERE task_sid = $1 AND kind = 'reservation'`, [taskSid])).rows[0].n;
    } finally {
      await pool.end();
    }
  };
  const pendingReservation = (taskSid: string) =>
    eventually(async () => (await reservations(taskSid)).find((r) => r.reservation_status === 'pending'), { what: `a pending reservation for ${taskSid}` });

  it('reserves the longest-idle qualified worker, then accept assigns and complete frees the capacity', async () => {
    const support = await queue('skills HAS "support"');
    const flow = await workflow({ filters: [{ filter_friendly_name: 'support', expression: 'type == "support"', targets: [{ queue: support, priority: 7 }] }], default_filter: { queue: support } }, 45);
    const longestIdle = await worker({ skills: ['support'] });
    const newer = await worker({ skills: ['support'] });
    await worker({ skills: ['sales'] });

    const taskSid = await task(flow, { type: 'support' });
    const reservation = await pendingReservation(taskSid);
    expect(reservation.worker_sid).toBe(longestIdle);
    expect(reservation.worker_sid).not.toBe(newer);
    const reserved = await api.ok('GET', ws(`Tasks/${taskSid}`));
    expect(reserved).toMatchObject({ assignment_status: 'reserved', task_queue_sid: support, priority: 7, workflow_sid: flow });
    expect((await api.ok('GET', ws(`Workers/${longestIdle}/Channels/default`))).available_capacity_percentage).toBe(0);

    const accepted = await api.ok('POST', ws(`Tasks/${taskSid}/Reservations/${reservation.sid}`), { ReservationStatus: 'accepted' });
    expect(accepted.reservation_status).toBe('accepted');
    expect((await api.ok('GET', ws(`Tasks/${taskSid}`))).assignment_status).toBe('assigned');

    const completed = await api.ok('POST', ws(`Tasks/${taskSid}`), { AssignmentStatus: 'completed', Reason: 'resolved' });
    expect(completed).toMatchObject({ assignment_status: 'completed', reason: 'resolved' });
    const channel = await api.ok('GET', ws(`Workers/${longestIdle}/Channels/default`));
    expect(channel).toMatchObject({ assigned_tasks: 0, available_capacity_percentage: 100 });
    expect((await reservations(taskSid))[0].reservation_status).toBe('completed');
  });

  it('gives the task to the next qualified worker when a reservation times out, and sends the first worker to the timeout activity', async () => {
    const team = uniqueName('team');
    const q = await queue(`team == "${team}"`);
    const flow = await workflow({ filters: [{ expression: '1==1', targets: [{ queue: q }] }] }, 1);
    const first = await worker({ team });
    const second = await worker({ team });

    const taskSid = await task(flow, {});
    expect((await pendingReservation(taskSid)).worker_sid).toBe(first);
    const next = await eventually(async () => (await reservations(taskSid)).find((r) => r.reservation_status === 'pending' && r.worker_sid === second),
      { what: 'a reservation for the second worker' });
    expect(next.worker_sid).toBe(second);
    expect((await reservations(taskSid)).find((r) => r.worker_sid === first)!.reservation_status).toBe('timeout');
    const timedOutWorker = await api.ok('GET', ws(`Workers/${first}`));
    expect(timedOutWorker).toMatchObject({ activity_sid: offline, activity_name: 'Offline', available: false });
  });

  it("moves the task to the filter's next target when the target's timeout passes", async () => {
    const tag = uniqueName('tier');
    const firstTier = await queue(`tier == "${tag}-1"`);
    const secondTier = await queue(`tier == "${tag}-2"`);
    const flow = await workflow({ filters: [{ expression: '1==1', targets: [{ queue: firstTier, timeout: 1 }, { queue: secondTier, priority: 50 }] }] });
    const escalation = await worker({ tier: `${tag}-2` });

    const taskSid = await task(flow, {});
    const reservation = await pendingReservation(taskSid);
    expect(reservation.worker_sid).toBe(escalation);
    expect(await api.ok('GET', ws(`Tasks/${taskSid}`))).toMatchObject({ task_queue_sid: secondTier, priority: 50, assignment_status: 'reserved' });
  });

  it('skips a step whose skip_if holds when nobody can be reserved at once', async () => {
    const tag = uniqueName('skip');
    const empty = await queue(`tier == "${tag}-nobody"`);
    const staffed = await queue(`tier == "${tag}-2"`);
    const flow = await workflow({ filters: [{ expression: '1==1', targets: [{ queue: empty, timeout: 3600, skip_if: 'workers.available == 0' }, { queue: staffed }] }] });
    const agent = await worker({ tier: `${tag}-2` });

    const taskSid = await task(flow, {});
    expect((await pendingReservation(taskSid)).worker_sid).toBe(agent);
    expect((await api.ok('GET', ws(`Tasks/${taskSid}`))).task_queue_sid).toBe(staffed);
    expect(JSON.stringify(await api.ok('GET', ws(`Tasks/${taskSid}/RoutingExplanation`)))).toContain('was skipped (skip_if)');
  });

  describe('the routing explanation names the worker', () => {
    type Considered = { worker_sid: string; worker_name: string | null; outcome: string; reason: string; words: string };
    const nameOf = async (workerSid: string) => (await api.ok('GET', ws(`Workers/${workerSid}`))).friendly_name as string;
    const explain = (taskSid: string) => api.ok('GET', ws(`Tasks/${taskSid}/RoutingExplanation`));
    const dataOf = (c: Considered) => ({ worker_sid: c.worker_sid, worker_name: c.worker_name, outcome: c.outcome, reason: c.reason });

    it('says which workers were considered, which one was chosen by which rule, and why the others were not', async () => {
      const team = uniqueName('explain');
      const q = await queue(`team == "${team}"`);
      const flow = await workflow({ filters: [{ filter_friendly_name: 'explained', expression: '1==1', targets: [{ queue: q, expression: 'worker.level >= 3' }] }] }, 3600);
      const chosen = await worker({ team, level: 5 });
      const junior = await worker({ team, level: 1 });
      const away = await worker({ team, level: 9 }, offline);
      const [chosenName, juniorName, awayName] = await Promise.all([chosen, junior, away].map(nameOf));

      const taskSid = await task(flow, {});
      const reservation = await pendingReservation(taskSid);
      expect(reservation.worker_sid).toBe(chosen);
      const explanation = await explain(taskSid);
      explainedBeforeReplay.set(taskSid, explanation);
      expect(explanation.steps).toHaveLength(1);
      const [step] = explanation.steps;
      expect(step).toMatchObject({ filter_index: 0, target_index: 0, filter_name: 'explained', queue_sid: q, target: { queue: q, expression: 'worker.level >= 3' }, left: null });
      expect(step.reservations).toHaveLength(1);
      expect(step.reservations[0]).toMatchObject({ reservation_sid: reservation.sid, worker_sid: chosen, worker_name: chosenName, status: 'pending', rule: 'longest_idle', not_listed: 0 });
      expect((step.reservations[0].considered as Considered[]).map(dataOf)).toEqual([
        { worker_sid: chosen, worker_name: chosenName, outcome: 'chosen', reason: 'longest_idle' },
        { worker_sid: junior, worker_name: juniorName, outcome: 'passed_over', reason: 'worker_expression_false' },
        { worker_sid: away, worker_name: awayName, outcome: 'passed_over', reason: 'unavailable' },
      ]);
      expect(explanation.words).toEqual([
        `step 1: filter 'explained' (#0), target 0, queue ${q}`,
        "  filter 'explained' (#0) matched: 1==1",
        `  entering queue ${q}`,
        `  reserved ${chosenName} (${chosen}) as the qualified worker idle the longest, out of 3 worker(s) considered:`,
        `    ${chosenName} (${chosen}) was chosen: the qualified worker idle the longest`,
        `    ${juniorName} (${junior}) was passed over: the target’s worker expression is false for it`,
        `    ${awayName} (${away}) was passed over: unavailable (its activity is not an available one)`,
        '  the reservation is pending',
      ]);
    });

    it('says that a worker who rejected the task was passed over for it afterwards', async () => {
      const team = uniqueName('rejected');
      const q = await queue(`team == "${team}"`);
      // Reservations that outlast the spec: the explanation compared after the replay does not move meanwhile.
      const flow = await workflow({ filters: [{ expression: '1==1', targets: [{ queue: q }] }] }, 3600);
      const first = await worker({ team });
      const second = await worker({ team });
      const [firstName, secondName] = await Promise.all([first, second].map(nameOf));

      const taskSid = await task(flow, {});
      const offered = await pendingReservation(taskSid);
      expect(offered.worker_sid).toBe(first);
      await api.ok('POST', ws(`Tasks/${taskSid}/Reservations/${offered.sid}`), { ReservationStatus: 'rejected' });
      const next = await eventually(async () => (await reservations(taskSid)).find((r) => r.reservation_status === 'pending' && r.worker_sid === second),
        { what: 'a reservation for the second worker' });

      const explanation = await explain(taskSid);
      explainedBeforeReplay.set(taskSid, explanation);
      const [rejected, taken] = explanation.steps[0].reservations;
      expect(rejected).toMatchObject({ reservation_sid: offered.sid, worker_sid: first, status: 'rejected', rule: 'longest_idle' });
      expect((rejected.considered as Considered[]).map((c) => [c.worker_sid, c.outcome, c.reason])).toEqual([
        [first, 'chosen', 'longest_idle'], [second, 'passed_over', 'ranked_lower'],
      ]);
      expect(taken).toMatchObject({ reservation_sid: next.sid, worker_sid: second, worker_name: secondName, status: 'pending', rule: 'longest_idle', not_listed: 0 });
      expect((taken.considered as Considered[]).map(dataOf)).toEqual([
        { worker_sid: second, worker_name: secondName, outcome: 'chosen', reason: 'longest_idle' },
        { worker_sid: first, worker_name: firstName, outcome: 'passed_over', reason: 'rejected_before' },
      ]);
      expect(explanation.words).toContain('  the reservation was rejected');
      expect(explanation.words).toContain(`    ${firstName} (${first}) was passed over: rejected this task before`);
    });
  });

  it("cancels a task that nobody took within its Timeout (TTL), with TaskRouter's reason", async () => {
    const q = await queue(`team == "${uniqueName('nobody')}"`);
    const flow = await workflow({ filters: [], default_filter: { queue: q } });
    const taskSid = (await api.ok('POST', ws('Tasks'), { WorkflowSid: flow, Attributes: '{}', Timeout: 1 })).sid;
    const canceled = await eventually(async () => {
      const current = await api.ok('GET', ws(`Tasks/${taskSid}`));
      return current.assignment_status === 'canceled' ? current : undefined;
    }, { what: 'the task canceled by its TTL' });
    expect(canceled.reason).toBe('Task TTL Exceeded');
  });

  it('routes a task on a TaskChannel created after its worker, through the WorkerChannel the worker was given', async () => {
    const team = uniqueName('late');
    const q = await queue(`team == "${team}"`);
    const flow = await workflow({ filters: [], default_filter: { queue: q } });
    const agent = await worker({ team });
    const uniqueNameOfChannel = `c${Date.now().toString(36)}`;
    await api.ok('POST', ws('TaskChannels'), { FriendlyName: 'Late channel', UniqueName: uniqueNameOfChannel });
    expect((await api.ok('GET', ws(`Workers/${agent}/Channels/${uniqueNameOfChannel}`))).configured_capacity).toBe(1);

    const taskSid = (await api.ok('POST', ws('Tasks'), { WorkflowSid: flow, Attributes: '{}', TaskChannel: uniqueNameOfChannel })).sid;
    expect((await pendingReservation(taskSid)).worker_sid).toBe(agent);
  });

  it('routes waiting tasks again when the workflow is updated with ReEvaluateTasks', async () => {
    const tag = uniqueName('reeval');
    const unstaffed = await queue(`tier == "${tag}-nobody"`);
    const staffed = await queue(`tier == "${tag}-staffed"`);
    const flow = await workflow({ filters: [{ expression: '1==1', targets: [{ queue: unstaffed }] }] });
    const agent = await worker({ tier: `${tag}-staffed` });
    const taskSid = await task(flow, {});
    await eventually(async () => ((await api.ok('GET', ws(`Tasks/${taskSid}`))).task_queue_sid === unstaffed ? true : undefined), { what: 'the task in the first queue' });

    await api.ok('POST', ws(`Workflows/${flow}`), {
      Configuration: JSON.stringify({ task_routing: { filters: [{ expression: '1==1', targets: [{ queue: staffed }] }] } }), ReEvaluateTasks: true,
    });
    expect((await pendingReservation(taskSid)).worker_sid).toBe(agent);
    expect((await api.ok('GET', ws(`Tasks/${taskSid}`))).task_queue_sid).toBe(staffed);
  });

  it('routes tasks created or re-attributed right after a configuration change by the new configuration (read-your-writes)', async () => {
    const tag = uniqueName('ryw');
    const queues = [await queue(`tier == "${tag}-0"`), await queue(`tier == "${tag}-1"`), await queue(`tier == "${tag}-2"`)];
    const routeTo = (q: string) => ({ Configuration: JSON.stringify({ task_routing: { filters: [{ expression: '1==1', targets: [{ queue: q }] }] } }) });
    const flow = await workflow({ filters: [{ expression: '1==1', targets: [{ queue: queues[0] }] }] });
    const queueOf = async (taskSid: string) =>
      eventually(async () => (await api.ok('GET', ws(`Tasks/${taskSid}`))).task_queue_sid ?? undefined, { what: `${taskSid} routed` }) as Promise<string>;
    // The evaluator has just folded this workflow (the first task): a cache that trusts a recent
    // fold would route the next tasks by the configuration the API has already replaced.
    const waiting = await task(flow, {});
    expect(await queueOf(waiting)).toBe(queues[0]);
    let n = 0;
    for (const next of [queues[1], queues[2], queues[0], queues[1]]) {
      await api.ok('POST', ws(`Workflows/${flow}`), routeTo(next));
      // New attributes route a waiting task again from the first filter: by the new configuration too.
      await api.ok('POST', ws(`Tasks/${waiting}`), { Attributes: JSON.stringify({ n: ++n }) });
      await eventually(async () => ((await api.ok('GET', ws(`Tasks/${waiting}`))).task_queue_sid === next ? true : undefined), { what: `${waiting} in ${next}` });
      expect(await queueOf(await task(flow, {}))).toBe(next);
    }
  });

  it('loses nothing when the evaluator and the matcher are killed and started again', async () => {
    const team = uniqueName('crash');
    const q = await queue(`team == "${team}"`);
    const flow = await workflow({ filters: [{ expression: '1==1', targets: [{ queue: q }] }] });
    const agent = await worker({ team });
    await services.kill('workflow-evaluator');
    await services.kill('queue-matcher');

    const taskSid = await task(flow, {});
    expect((await api.ok('GET', ws(`Tasks/${taskSid}`))).assignment_status).toBe('pending');
    await services.start('workflow-evaluator');
    await services.start('queue-matcher');
    expect((await pendingReservation(taskSid)).worker_sid).toBe(agent);
    expect((await reservations(taskSid))).toHaveLength(1);
  });

  it('fires due deadlines as soon as a killed reservation-timer is back, before its consumer rejoins the group', async () => {
    const team = uniqueName('timer');
    const q = await queue(`team == "${team}"`);
    const flow = await workflow({ filters: [{ expression: '1==1', targets: [{ queue: q }] }] }, 4);
    await worker({ team });
    const taskSid = await task(flow, {});
    const reservation = await pendingReservation(taskSid);
    await eventually(async () => ((await timerCount(taskSid)) > 0 ? true : undefined), { what: 'the reservation timeout scheduled' });
    await services.kill('reservation-timer');
    const readyLines = () => services.output('reservation-timer').split('scheduling and firing deadlines').length - 1;
    const readyBefore = readyLines();
    // The killed member stays in the group until its session expires (about 30 s): the new
    // process cannot consume before then, but the deadline it finds in Postgres is its own to fire.
    const restarted = services.start('reservation-timer');
    await eventually(async () => ((await reservations(taskSid)).find((r) => r.sid === reservation.sid)?.reservation_status === 'timeout' ? true : undefined),
      { timeoutMs: 25_000, what: 'the reservation timed out' });
    expect(readyLines()).toBe(readyBefore);
    await restarted;
  });

  describe('assignment callbacks', () => {
    let server: Server;
    let callbackUrl: string;
    const received: Array<Record<string, string>> = [];
    /** `/accept-then-complete`: the status of the complete sent the moment the accept answer left. */
    const completedRightAfter = new Map<string, Promise<{ status: number; body: unknown }>>();

    beforeAll(async () => {
      server = createServer((request, response) => {
        let body = '';
        request.on('data', (chunk) => (body += chunk));
        request.on('end', () => {
          const call = Object.fromEntries(new URLSearchParams(body));
          received.push(call);
          response.writeHead(200, { 'content-type': 'application/json' });
          response.end(JSON.stringify({ instruction: 'accept' }), () => {
            if (request.url !== '/accept-then-complete') return;
            completedRightAfter.set(call.TaskSid, api.request('POST', ws(`Tasks/${call.TaskSid}`), { AssignmentStatus: 'completed', Reason: 'done' }));
          });
        });
      });
      const port = await freePort();
      await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
      callbackUrl = `http://127.0.0.1:${port}/assignment`;
    });
    afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

    const callbackWorkflow = async (queueSid: string, urls: { AssignmentCallbackUrl: string; FallbackAssignmentCallbackUrl?: string }) =>
      (await api.ok('POST', ws('Workflows'), {
        FriendlyName: uniqueName('wf'), Configuration: JSON.stringify({ task_routing: { filters: [], default_filter: { queue: queueSid } } }), ...urls,
      })).sid as string;

    it('posts the reservation to the AssignmentCallbackUrl and carries out its accept instruction', async () => {
      const team = uniqueName('callback');
      const q = await queue(`team == "${team}"`);
      const flow = await callbackWorkflow(q, { AssignmentCallbackUrl: callbackUrl });
      const agent = await worker({ team });
      const taskSid = await task(flow, { order: 7 });

      const accepted = await eventually(async () => (await reservations(taskSid)).find((r) => r.reservation_status === 'accepted'), { what: 'the reservation accepted by the callback' });
      expect(accepted.worker_sid).toBe(agent);
      expect((await api.ok('GET', ws(`Tasks/${taskSid}`))).assignment_status).toBe('assigned');
      const call = received.find((r) => r.TaskSid === taskSid)!;
      expect(call).toMatchObject({ WorkspaceSid: workspace, WorkflowSid: flow, TaskQueueSid: q, WorkerSid: agent, ReservationSid: accepted.sid, AccountSid: 'AC00000000000000000000000000000001' });
      expect(JSON.parse(call.TaskAttributes)).toEqual({ order: 7 });
    });

    it('decides a complete sent right behind the accept answer on the accepted task, not with a 409', async () => {
      const team = uniqueName('quick');
      const q = await queue(`team == "${team}"`);
      const flow = await callbackWorkflow(q, { AssignmentCallbackUrl: callbackUrl.replace('/assignment', '/accept-then-complete') });
      await worker({ team });
      for (let i = 0; i < 5; i++) {
        const taskSid = await task(flow, { quick: i });
        const complete = await eventually(async () => completedRightAfter.get(taskSid), { what: `the complete of ${taskSid}` });
        const answer = await complete;
        expect(answer).toMatchObject({ status: 200, body: { sid: taskSid, assignment_status: 'completed' } });
      }
    });

    it('lets an endpoint that never answers delay only its own reservations', async () => {
      const held: Array<{ taskSid: string }> = [];
      const hanging = createServer((request) => {
        let body = '';
        request.on('data', (chunk) => (body += chunk));
        request.on('end', () => held.push({ taskSid: new URLSearchParams(body).get('TaskSid')! }));
      });
      const hangingPort = await freePort();
      await new Promise<void>((resolve) => hanging.listen(hangingPort, '127.0.0.1', resolve));
      try {
        const slowTeam = uniqueName('slow');
        const slowFlow = await callbackWorkflow(await queue(`team == "${slowTeam}"`), { AssignmentCallbackUrl: `http://127.0.0.1:${hangingPort}/never` });
        // Enough reservations to sit in every partition of the task topic (12), so none is free of them.
        const slowTasks: string[] = [];
        for (let i = 0; i < 24; i++) await worker({ team: slowTeam });
        for (let i = 0; i < 24; i++) slowTasks.push(await task(slowFlow, { slow: i }));
        await eventually(async () => (held.length >= 24 ? true : undefined), { what: 'the 24 calls held by the endpoint that never answers' });

        const team = uniqueName('prompt');
        const flow = await callbackWorkflow(await queue(`team == "${team}"`), { AssignmentCallbackUrl: callbackUrl });
        await worker({ team });
        const taskSid = await task(flow, { prompt: true });
        await eventually(async () => (await reservations(taskSid)).find((r) => r.reservation_status === 'accepted'), { what: 'the other endpoint\'s accept' });

        // Still waiting for their app (5 s each): the accept above did not wait behind them.
        expect(held).toHaveLength(24);
        const slowStatuses = await Promise.all(slowTasks.map(async (sid) => (await reservations(sid)).map((r) => r.reservation_status)));
        expect(slowStatuses).toEqual(slowTasks.map(() => ['pending']));
      } finally {
        hanging.closeAllConnections();
        await new Promise<void>((resolve) => hanging.close(() => resolve()));
      }
    });

    it('uses the fallback when the callback cannot be reached, and cancels the reservation when neither can', async () => {
      const team = uniqueName('fallback');
      const q = await queue(`team == "${team}"`);
      const unreachable = `http://127.0.0.1:${await freePort()}/nobody-listens`;
      const withFallback = await callbackWorkflow(q, { AssignmentCallbackUrl: unreachable, FallbackAssignmentCallbackUrl: callbackUrl });
      const agent = await worker({ team });
      const first = await task(withFallback, {});
      expect((await eventually(async () => (await reservations(first)).find((r) => r.reservation_status === 'accepted'))).worker_sid).toBe(agent);

      const lonely = uniqueName('lonely');
      const q2 = await queue(`team == "${lonely}"`);
      const withoutFallback = await callbackWorkflow(q2, { AssignmentCallbackUrl: unreachable });
      await worker({ team: lonely });
      const second = await task(withoutFallback, {});
      const canceled = await eventually(async () => (await reservations(second)).find((r) => r.reservation_status === 'canceled'), { what: 'the canceled reservation' });
      expect(canceled).toBeDefined();
      expect((await api.ok('GET', ws(`Tasks/${second}`))).assignment_status).toBe('pending');
    });

    it('refuses a callback URL that is not http or https', async () => {
      const q = await queue('1==1');
      const answer = await api.request('POST', ws('Workflows'), {
        FriendlyName: 'bad callback', Configuration: JSON.stringify({ task_routing: { default_filter: { queue: q } } }), AssignmentCallbackUrl: 'ftp://example.test/x',
      });
      expect(answer.status).toBe(400);
      expect(answer.body.message).toContain('AssignmentCallbackUrl');
    });
  });

  it('lets exactly one of two simultaneous accepts win', async () => {
    const team = uniqueName('race');
    const q = await queue(`team == "${team}"`);
    const flow = await workflow({ filters: [{ expression: '1==1', targets: [{ queue: q }] }] });
    const agent = await worker({ team });
    const taskSid = await task(flow, {});
    const reservation = await pendingReservation(taskSid);

    const answers = await Promise.all([
      api.request('POST', ws(`Tasks/${taskSid}/Reservations/${reservation.sid}`), { ReservationStatus: 'accepted' }),
      api.request('POST', ws(`Workers/${agent}/Reservations/${reservation.sid}`), { ReservationStatus: 'accepted' }),
    ]);
    expect(answers.map((a) => a.status).sort()).toEqual([200, 409]);
    const refused = answers.find((a) => a.status === 409)!;
    expect(refused.body).toMatchObject({ status: 409, code: 20409, more_info: 'https://www.twilio.com/docs/errors/20409' });
    expect((await api.ok('GET', ws(`Workers/${agent}/Channels/default`))).assigned_tasks).toBe(1);
  });

  it('creates one task per work item published to the work-items topic, and parks bad items with their error', async () => {
    const q = await queue('1==1');
    const flow = await workflow({ filters: [], default_filter: { queue: q } });
    const kafka = new KafkaConnection({ brokers: testKafkaBrokers(), clientId: 'e2e-work-items' });
    const publisher = new EventPublisher(kafka);
    const rejected: Array<{ error: { status: number; message: string }; item: string }> = [];
    const consumer = new EventConsumer(kafka, {
      groupId: uniqueName('e2e-rejected'), topics: [`${name}.work-items.rejected`], fromBeginning: true,
      handler: async (record) => { rejected.push(JSON.parse(record.value!)); },
    });
    await consumer.start();
    try {
      const item = { accountSid: 'AC00000000000000000000000000000001', workspaceSid: workspace, workflowSid: flow, attributes: { order: 17 }, id: uniqueName('order') };
      await publisher.publish([
        { topic: `${name}.work-items`, key: item.id, value: JSON.stringify(item) },
        { topic: `${name}.work-items`, key: item.id, value: JSON.stringify(item) },
        { topic: `${name}.work-items`, key: 'bad', value: JSON.stringify({ ...item, id: undefined, attributes: '{broken' }) },
      ]);
      const created = await eventually(async () => {
        const tasks = (await api.ok('GET', `${ws('Tasks')}?WorkflowSid=${flow}`)).tasks as Array<{ sid: string }>;
        return tasks.length > 0 ? tasks : undefined;
      }, { what: 'the task from the work item' });
      const parked = await eventually(async () => rejected[0], { what: 'the rejected work item' });
      expect(parked.error).toMatchObject({ status: 400, message: expect.stringContaining('Attributes is not valid JSON') });
      expect(JSON.parse(parked.item).attributes).toBe('{broken');
      expect((await api.ok('GET', ws(`Tasks/${created[0].sid}`))).attributes).toBe('{"order":17}');
      expect((await api.ok('GET', `${ws('Tasks')}?WorkflowSid=${flow}`)).tasks).toHaveLength(1);
    } finally {
      await consumer.stop();
      await publisher.disconnect();
    }
  });

  describe('list filters written in the expression language', () => {
    it('TargetWorkersExpression and TaskQueueSid list the matching workers; EvaluateWorkerAttributes and WorkerSid the matching queues', async () => {
      const tag = uniqueName('filter');
      const senior = await worker({ tag, level: 5, languages: ['es', 'en'] });
      await worker({ tag, level: 1, languages: ['en'] });
      const spanish = await queue(`tag == "${tag}" AND languages HAS "es"`);
      const names = async (path: string) => (await api.ok('GET', ws(path))).workers.map((w: { sid: string }) => w.sid);
      expect(await names(`Workers?TargetWorkersExpression=${encodeURIComponent(`tag == "${tag}" AND level >= 3`)}`)).toEqual([senior]);
      expect(await names(`Workers?TaskQueueSid=${spanish}`)).toEqual([senior]);

      const queuesFor = async (path: string) => (await api.ok('GET', ws(path))).task_queues.map((q: { sid: string }) => q.sid);
      expect(await queuesFor(`TaskQueues?EvaluateWorkerAttributes=${encodeURIComponent(JSON.stringify({ tag, languages: ['es'] }))}`)).toContain(spanish);
      expect(await queuesFor(`TaskQueues?EvaluateWorkerAttributes=${encodeURIComponent(JSON.stringify({ tag, languages: ['fr'] }))}`)).not.toContain(spanish);
      expect(await queuesFor(`TaskQueues?WorkerSid=${senior}`)).toContain(spanish);
    });

    it('EvaluateTaskAttributes lists the matching tasks; a bad expression is a 400 naming the parameter and column', async () => {
      const q = await queue(`team == "${uniqueName('nobody')}"`);
      const flow = await workflow({ filters: [], default_filter: { queue: q } });
      const tag = uniqueName('t');
      const french = await task(flow, { tag, language: 'fr', rating: 6 });
      await task(flow, { tag, language: 'de', rating: 9 });
      const matched = await api.ok('GET', ws(`Tasks?EvaluateTaskAttributes=${encodeURIComponent(`tag == "${tag}" AND (language == "en" OR language == "fr") AND rating >= 5.1`)}`));
      expect(matched.tasks.map((t: { sid: string }) => t.sid)).toEqual([french]);

      const bad = await api.request('GET', ws(`Tasks?EvaluateTaskAttributes=${encodeURIComponent('language IN')}`));
      expect(bad.status).toBe(400);
      expect(bad.body.message).toMatch(/EvaluateTaskAttributes.*column \d+/);
    });
  });

  describe('bad input gets a 4xx in TaskRouter’s error shape and changes nothing', () => {
    const taskCount = async () => (await api.ok('GET', `${ws('Tasks')}?PageSize=1000`)).tasks.length as number;

    it('refuses malformed attribute JSON', async () => {
      const q = await queue('1==1');
      const flow = await workflow({ filters: [], default_filter: { queue: q } });
      const before = await taskCount();
      const answer = await api.request('POST', ws('Tasks'), { WorkflowSid: flow, Attributes: '{"type": ' });
      expect(answer.status).toBe(400);
      expect(answer.body).toEqual({ code: 20001, message: expect.stringContaining('Attributes is not valid JSON'), more_info: 'https://www.twilio.com/docs/errors/20001', status: 400 });
      expect(await taskCount()).toBe(before);
    });

    it('refuses an unknown Template without creating the workspace', async () => {
      const before = (await api.ok('GET', 'Workspaces?PageSize=1000')).workspaces.length;
      const answer = await api.request('POST', 'Workspaces', { FriendlyName: 'templated', Template: 'BOGUS' });
      expect(answer.status).toBe(400);
      expect(answer.body.message).toContain('Template');
      expect((await api.ok('GET', 'Workspaces?PageSize=1000')).workspaces.length).toBe(before);
    });

    it('answers 404 for unknown SIDs', async () => {
      const unknownTask = await api.request('GET', ws('Tasks/WT00000000000000000000000000000000'));
      expect(unknownTask.status).toBe(404);
      expect(unknownTask.body).toMatchObject({ code: 20404, status: 404 });
      const unknownWorkspace = await api.request('POST', 'Workspaces/WS00000000000000000000000000000000/Workers', { FriendlyName: 'x' });
      expect(unknownWorkspace.status).toBe(404);
      // Lists under a parent that does not exist: 404 like the parent's own fetch, not an empty page.
      for (const path of ['Tasks/WT00000000000000000000000000000000/Reservations', 'Workers/WK00000000000000000000000000000000/Reservations', 'Workers/WK00000000000000000000000000000000/Channels']) {
        const answer = await api.request('GET', ws(path));
        expect({ path, status: answer.status, code: answer.body.code }).toEqual({ path, status: 404, code: 20404 });
      }
    });

    it('refuses an invalid workflow configuration, naming the field, and creates nothing', async () => {
      const before = (await api.ok('GET', ws('Workflows'))).workflows.length;
      const badJson = await api.request('POST', ws('Workflows'), { FriendlyName: 'bad', Configuration: '{"task_routing": ' });
      expect(badJson.status).toBe(400);
      expect(badJson.body.message).toContain('Configuration');
      const badExpression = await api.request('POST', ws('Workflows'), {
        FriendlyName: 'bad', Configuration: JSON.stringify({ task_routing: { filters: [{ expression: 'type IN', targets: [{ queue: 'WQ00000000000000000000000000000000' }] }] } }),
      });
      expect(badExpression.status).toBe(400);
      expect(badExpression.body.message).toMatch(/task_routing\.filters\[0\]\.expression.*column/);
      const unknownQueue = await api.request('POST', ws('Workflows'), {
        FriendlyName: 'bad', Configuration: JSON.stringify({ task_routing: { default_filter: { queue: 'WQ00000000000000000000000000000000' } } }),
      });
      expect(unknownQueue.status).toBe(400);
      expect((await api.ok('GET', ws('Workflows'))).workflows.length).toBe(before);
    });

    it('refuses an invalid TargetWorkers expression with its column', async () => {
      const answer = await api.request('POST', ws('TaskQueues'), { FriendlyName: 'bad', TargetWorkers: 'skills HAS' });
      expect(answer.status).toBe(400);
      expect(answer.body.message).toMatch(/TargetWorkers.*column \d+/);
    });
  });

  it('rebuilds the same tables and availability index by replaying the log (npm run replay)', async () => {
    await services.stop();
    const { code, stdout } = await runReplay({ schema: name, topicPrefix: name });
    expect(code).toBe(0);
    expect(stdout).toMatch(/replay: \d+ events in \d+ ms/);
    expect(stdout).toContain('verified: the rebuilt tables, timers and availability index equal the live state');

    // The routing explanation comes from the log (and names from the rebuilt tables): the same after the replay.
    expect(explainedBeforeReplay.size).toBeGreaterThan(0);
    await services.start('task-ingest');
    for (const [taskSid, before] of explainedBeforeReplay) expect(await api.ok('GET', ws(`Tasks/${taskSid}/RoutingExplanation`))).toEqual(before);
  });
});
