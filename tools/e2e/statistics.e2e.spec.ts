import { cleanUpTestStack, eventually, freePort, startServices, uniqueName, type RunningServices } from '@taskrouter/testing';
import type twilio from 'twilio';
import { sdkClient, SDK_ACCOUNT_SID } from './test-support/twilio-sdk-client';
import { runReplay } from './test-support/replay-command';

const UNKNOWN_QUEUE = 'WQ00000000000000000000000000000099';

/**
 * The Statistics resources read by the official SDK after a scenario whose answers are known:
 * three Spanish tasks; the first reserved to Maria, accepted and completed; the second reserved to
 * Maria, rejected (Maria goes Offline), then canceled; the third left waiting, as nobody eligible
 * is available. Pedro (Spanish, Offline) is eligible, John (English, Available) is not.
 */
describe('statistics, read with the official twilio SDK', () => {
  let services: RunningServices;
  let client: twilio.Twilio;
  const name = uniqueName('stats');
  let ws: ReturnType<twilio.Twilio['taskrouter']['v1']['workspaces']>;
  const sids = { workspace: '', queue: '', workflow: '', maria: '', t1: '', t2: '', t3: '', available: '', offline: '' };

  beforeAll(async () => {
    services = await startServices({ schema: name, topicPrefix: name, port: await freePort() });
    client = sdkClient(services.baseUrl);
    const workspace = await client.taskrouter.v1.workspaces.create({ friendlyName: 'statistics' });
    sids.workspace = workspace.sid;
    ws = client.taskrouter.v1.workspaces(workspace.sid);
    const activities = await ws.activities.list();
    sids.available = activities.find((a) => a.friendlyName === 'Available')!.sid;
    sids.offline = activities.find((a) => a.friendlyName === 'Offline')!.sid;
    const queue = await ws.taskQueues.create({ friendlyName: 'Spanish', targetWorkers: 'languages HAS "es"' });
    sids.queue = queue.sid;
    const workflow = await ws.workflows.create({
      friendlyName: 'languages', taskReservationTimeout: 600,
      configuration: JSON.stringify({ task_routing: { filters: [{ expression: 'language == "es"', targets: [{ queue: queue.sid }] }] } }),
    });
    sids.workflow = workflow.sid;
    const maria = await ws.workers.create({ friendlyName: 'Maria', activitySid: sids.available, attributes: JSON.stringify({ languages: ['es'] }) });
    sids.maria = maria.sid;
    await ws.workers.create({ friendlyName: 'Pedro', activitySid: sids.offline, attributes: JSON.stringify({ languages: ['es'] }) });
    await ws.workers.create({ friendlyName: 'John', activitySid: sids.available, attributes: JSON.stringify({ languages: ['en'] }) });

    const reservationOf = (task: string) =>
      eventually(async () => (await ws.tasks(task).reservations.list({ reservationStatus: 'pending' }))[0], { what: `a reservation of ${task}` });
    sids.t1 = (await ws.tasks.create({ workflowSid: workflow.sid, attributes: JSON.stringify({ language: 'es' }), priority: 1 })).sid;
    await ws.tasks(sids.t1).reservations((await reservationOf(sids.t1)).sid).update({ reservationStatus: 'accepted' });
    await ws.tasks(sids.t1).update({ assignmentStatus: 'completed', reason: 'done' });
    sids.t2 = (await ws.tasks.create({ workflowSid: workflow.sid, attributes: JSON.stringify({ language: 'es' }), priority: 2 })).sid;
    await ws.tasks(sids.t2).reservations((await reservationOf(sids.t2)).sid).update({ reservationStatus: 'rejected', workerActivitySid: sids.offline });
    sids.t3 = (await ws.tasks.create({ workflowSid: workflow.sid, attributes: JSON.stringify({ language: 'es' }), priority: 5 })).sid;
    await eventually(async () => ((await ws.tasks(sids.t3).fetch()).taskQueueSid === sids.queue ? true : undefined), { what: 'the third task in its queue' });
    await ws.tasks(sids.t2).update({ assignmentStatus: 'canceled', reason: 'caller hung up' });
  });

  afterAll(async () => {
    await services?.stop();
    await cleanUpTestStack(name);
  });

  it('workspace real-time: the waiting task, the workers by activity', async () => {
    const realtime = await ws.realTimeStatistics().fetch();
    expect(realtime.totalTasks).toBe(1);
    expect(realtime.tasksByStatus).toEqual({ pending: 1, reserved: 0, assigned: 0, wrapping: 0 });
    expect(realtime.tasksByPriority).toEqual({ 5: 1 });
    expect(realtime.longestTaskWaitingSid).toBe(sids.t3);
    expect(realtime.longestTaskWaitingAge).toBeGreaterThanOrEqual(0);
    expect(realtime.totalWorkers).toBe(3);
    const byName = Object.fromEntries((realtime.activityStatistics as Array<{ friendly_name: string; workers: number }>).map((a) => [a.friendly_name, a.workers]));
    expect(byName).toEqual({ Offline: 2, Available: 1, Unavailable: 0 });
  });

  it('workspace cumulative: created, completed, canceled, reservations by outcome, waits and their split', async () => {
    const cumulative = await ws.cumulativeStatistics().fetch({ minutes: 60, splitByWaitTime: '3600' });
    expect(cumulative).toMatchObject({
      tasksCreated: 3, tasksCompleted: 1, tasksCanceled: 1, tasksMoved: 0, tasksDeleted: 0, tasksTimedOutInWorkflow: 0,
      reservationsCreated: 2, reservationsAccepted: 1, reservationsRejected: 1, reservationsTimedOut: 0, reservationsCanceled: 0, reservationsRescinded: 0,
    });
    expect(cumulative.splitByWaitTime).toEqual({ 3600: { below: { tasks_canceled: 1, reservations_accepted: 1 }, above: { tasks_canceled: 0, reservations_accepted: 0 } } });
    const accepted = cumulative.waitDurationUntilAccepted as { avg: number; min: number; max: number; total: number };
    expect(accepted.total).toBe(accepted.max);
    expect(accepted.avg).toBe(cumulative.avgTaskAcceptanceTime);
    expect(cumulative.startTime).toBeInstanceOf(Date);
    expect(cumulative.endTime.getTime() - cumulative.startTime.getTime()).toBe(60 * 60_000);
  });

  it('the combined workspace statistics hold both', async () => {
    const statistics = await ws.statistics().fetch({ minutes: 60 });
    expect((statistics.realtime as { total_tasks: number }).total_tasks).toBe(1);
    expect((statistics.cumulative as { tasks_created: number }).tasks_created).toBe(3);
  });

  it('task queue real-time and cumulative: eligible and available workers, entered tasks', async () => {
    const queue = ws.taskQueues(sids.queue);
    const realtime = await queue.realTimeStatistics().fetch();
    expect(realtime).toMatchObject({ totalTasks: 1, totalEligibleWorkers: 2, totalAvailableWorkers: 0, longestTaskWaitingSid: sids.t3 });
    expect(realtime.tasksByStatus).toEqual({ pending: 1, reserved: 0, assigned: 0, wrapping: 0 });
    const cumulative = await queue.cumulativeStatistics().fetch({ minutes: 60 });
    expect(cumulative).toMatchObject({
      tasksEntered: 3, tasksCompleted: 1, tasksCanceled: 1, tasksMoved: 0, reservationsCreated: 2, reservationsAccepted: 1, reservationsRejected: 1,
    });
    const combined = await queue.statistics().fetch({ minutes: 60 });
    expect((combined.cumulative as { tasks_entered: number }).tasks_entered).toBe(3);
    expect((combined.realtime as { total_eligible_workers: number }).total_eligible_workers).toBe(2);
  });

  it('task queues: the list with its filter, and the bulk real-time POST with a SID of no queue', async () => {
    const list = await ws.taskQueues.statistics.list({ friendlyName: 'Spanish', minutes: 60 });
    expect(list.map((q) => q.taskQueueSid)).toEqual([sids.queue]);
    expect((list[0].cumulative as { reservations_accepted: number }).reservations_accepted).toBe(1);
    expect(await ws.taskQueues.statistics.list({ friendlyName: 'nobody' })).toEqual([]);

    const bulk = await ws.taskQueues.bulkRealTimeStatistics.create({ QueueSids: [sids.queue, UNKNOWN_QUEUE] } as never);
    expect(bulk.taskQueueResponseCount).toBe(2);
    const [known, unknown] = bulk.taskQueueData as Array<{ task_queue_sid: string; total_tasks: number; total_eligible_workers: number }>;
    expect(known).toMatchObject({ task_queue_sid: sids.queue, total_tasks: 1, total_eligible_workers: 2 });
    expect(unknown).toMatchObject({ task_queue_sid: UNKNOWN_QUEUE, total_tasks: 0, total_eligible_workers: 0 });
    const camel = await ws.taskQueues.bulkRealTimeStatistics.create({ queueSids: [sids.queue] } as never);
    expect(camel.taskQueueResponseCount).toBe(1);
  });

  it('workers: real-time by activity, cumulative reservations and activity durations, one worker’s statistics', async () => {
    const realtime = await ws.workers.realTimeStatistics().fetch();
    expect(realtime.totalWorkers).toBe(3);
    const cumulative = await ws.workers.cumulativeStatistics().fetch({ minutes: 60 });
    expect(cumulative).toMatchObject({ reservationsCreated: 2, reservationsAccepted: 1, reservationsRejected: 1 });
    const durations = cumulative.activityDurations as Array<{ friendly_name: string; total: number; min: number; max: number; avg: number }>;
    expect(durations.map((d) => d.friendly_name).sort()).toEqual(['Available', 'Offline', 'Unavailable']);
    const offline = durations.find((d) => d.friendly_name === 'Offline')!;
    expect(offline.max).toBeLessThanOrEqual(offline.total);
    const maria = await ws.workers(sids.maria).statistics().fetch({ minutes: 60 });
    expect(maria.workerSid).toBe(sids.maria);
    expect(maria.cumulative).toMatchObject({ reservations_created: 2, reservations_accepted: 1, reservations_rejected: 1 });
    const inQueue = await ws.workers.statistics().fetch({ minutes: 60, taskQueueSid: sids.queue });
    expect((inQueue.realtime as { total_workers: number }).total_workers).toBe(2);
  });

  it('workflow real-time and cumulative', async () => {
    const workflow = ws.workflows(sids.workflow);
    const realtime = await workflow.realTimeStatistics().fetch();
    expect(realtime).toMatchObject({ totalTasks: 1, longestTaskWaitingSid: sids.t3, workflowSid: sids.workflow });
    const cumulative = await workflow.cumulativeStatistics().fetch({ minutes: 60 });
    expect(cumulative).toMatchObject({ tasksEntered: 3, tasksCompleted: 1, tasksCanceled: 1, reservationsAccepted: 1, reservationsRejected: 1 });
    expect((await workflow.statistics().fetch()).workflowSid).toBe(sids.workflow);
  });

  it('refuses bad parameters in TaskRouter’s error shape', async () => {
    const refused = (promise: Promise<unknown>) => promise.then(() => 'answered', (error: unknown) => error);
    const start = new Date(Date.now() - 60_000);
    for (const attempt of [
      ws.cumulativeStatistics().fetch({ minutes: 0 }),
      ws.cumulativeStatistics().fetch({ minutes: 43_201 }),
      ws.cumulativeStatistics().fetch({ startDate: start, endDate: new Date(start.getTime() - 1_000) }),
      ws.cumulativeStatistics().fetch({ startDate: new Date(Date.now() - 31 * 24 * 3_600_000) }),
      ws.cumulativeStatistics().fetch({ splitByWaitTime: '5,x' }),
      ws.realTimeStatistics().fetch({ taskChannel: 'fax' }),
      ws.taskQueues.bulkRealTimeStatistics.create({ QueueSids: [] } as never),
      ws.taskQueues.bulkRealTimeStatistics.create({ QueueSids: Array.from({ length: 51 }, (_, i) => `WQ${String(i).padStart(32, '0')}`) } as never),
      ws.taskQueues.bulkRealTimeStatistics.create({ QueueSids: ['not-a-sid'] } as never),
    ]) {
      expect(await refused(attempt)).toMatchObject({ status: 400, code: 20001, moreInfo: 'https://www.twilio.com/docs/errors/20001' });
    }
    expect(await refused(ws.taskQueues(UNKNOWN_QUEUE).realTimeStatistics().fetch())).toMatchObject({ status: 404 });
  });

  it('limits the bulk real-time POST to 5 a second per account (50 in any 10 seconds): 429 with Retry-After beyond', async () => {
    const bulk = async () => {
      const answer = await fetch(`${services.baseUrl}/v1/Workspaces/${sids.workspace}/TaskQueues/RealTimeStatistics`, {
        method: 'POST', body: JSON.stringify({ QueueSids: [sids.queue] }),
        headers: { 'content-type': 'application/json', authorization: `Basic ${Buffer.from(`${SDK_ACCOUNT_SID}:any-token`).toString('base64')}` },
      });
      return { status: answer.status, retryAfter: answer.headers.get('retry-after'), body: (await answer.json()) as unknown };
    };
    // Ten at a time until one is refused: at most 50 within 10 seconds are answered, so a refusal comes however slow the machine.
    let refusal: Awaited<ReturnType<typeof bulk>> | undefined;
    for (let sent = 0; !refusal && sent < 1_000; sent += 10) {
      const answers = await Promise.all(Array.from({ length: 10 }, bulk));
      expect(answers.every((answer) => answer.status === 200 || answer.status === 429)).toBe(true);
      refusal = answers.find((answer) => answer.status === 429);
    }
    expect(refusal?.body).toEqual({ code: 20429, message: expect.stringMatching(/^Too many requests/), more_info: 'https://www.twilio.com/docs/errors/20429', status: 429 });
    expect(Number(refusal?.retryAfter)).toBeGreaterThanOrEqual(1);
    expect(Number(refusal?.retryAfter)).toBeLessThanOrEqual(10);
  });

  it('rebuilds the same counters by replaying the log (npm run replay)', async () => {
    await services.stop();
    const { code, stdout } = await runReplay({ schema: name, topicPrefix: name });
    expect(code).toBe(0);
    expect(stdout).toContain('verified: the rebuilt tables, timers and availability index equal the live state');
  });
});
