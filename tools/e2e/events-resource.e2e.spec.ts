import { cleanUpTestStack, eventually, freePort, startServices, uniqueName, type RunningServices } from '@taskrouter/testing';
import type twilio from 'twilio';
import { sdkClient, SDK_ACCOUNT_SID } from './test-support/twilio-sdk-client';
import { runReplay } from './test-support/replay-command';

/**
 * The Event resource read with the official SDK, after a task went through creation, a
 * reservation, its accept and its completion, and a worker changed activity: every Event at the
 * moment TaskRouter sends it, filters, paging, a fetch by SID, bad input refused, and the same
 * Events after `npm run replay` rebuilds them from the log.
 */
describe('the Events resource, read with the twilio SDK', () => {
  let services: RunningServices;
  let client: twilio.Twilio;
  const name = uniqueName('events');

  beforeAll(async () => {
    services = await startServices({ schema: name, topicPrefix: name, port: await freePort() });
    client = sdkClient(services.baseUrl);
  });

  afterAll(async () => {
    await services?.stop();
    await cleanUpTestStack(name);
  });

  let ws: ReturnType<twilio.Twilio['taskrouter']['v1']['workspaces']>;
  const ids = { workspace: '', queue: '', workflow: '', worker: '', task: '', reservation: '', available: '', offline: '' };

  it('records a task\'s life and a worker\'s activity change as TaskRouter Events', async () => {
    const workspace = await client.taskrouter.v1.workspaces.create({ friendlyName: 'events workspace' });
    ids.workspace = workspace.sid;
    ws = client.taskrouter.v1.workspaces(workspace.sid);
    const activities = await ws.activities.list();
    ids.available = activities.find((a) => a.friendlyName === 'Available')!.sid;
    ids.offline = activities.find((a) => a.friendlyName === 'Offline')!.sid;
    ids.queue = (await ws.taskQueues.create({ friendlyName: 'Spanish', targetWorkers: 'languages HAS "es"' })).sid;
    ids.workflow = (await ws.workflows.create({
      friendlyName: 'languages',
      configuration: JSON.stringify({ task_routing: { filters: [{ filter_friendly_name: 'es', expression: 'language == "es"', targets: [{ queue: ids.queue, priority: 2 }] }] } }),
    })).sid;
    ids.worker = (await ws.workers.create({ friendlyName: 'Maria', attributes: JSON.stringify({ languages: ['es'] }) })).sid;
    await ws.workers(ids.worker).update({ activitySid: ids.available });

    ids.task = (await ws.tasks.create({ workflowSid: ids.workflow, attributes: JSON.stringify({ language: 'es' }) })).sid;
    const reservation = await eventually(async () => (await ws.tasks(ids.task).reservations.list({ reservationStatus: 'pending' }))[0], { what: 'a pending reservation' });
    ids.reservation = reservation.sid;
    await ws.tasks(ids.task).reservations(reservation.sid).update({ reservationStatus: 'accepted' });
    await ws.tasks(ids.task).update({ assignmentStatus: 'completed', reason: 'resolved' });

    const ofTask = await ws.events.list({ taskSid: ids.task });
    // Newest first, as TaskRouter lists them.
    expect(ofTask.map((e) => e.eventType).reverse()).toEqual([
      'task.created', 'workflow.entered', 'workflow.target-matched', 'task-queue.entered', 'reservation.created', 'reservation.accepted',
      'task.completed', 'reservation.completed',
    ]);
    for (const e of ofTask) {
      expect(e.sid).toMatch(/^EV[0-9a-f]{32}$/);
      expect(e.workspaceSid).toBe(ids.workspace);
      expect(e.accountSid).toBe(SDK_ACCOUNT_SID);
      expect(e.eventDate).toBeInstanceOf(Date);
      expect(e.eventDateMs).toBe(Math.floor(Number(e.eventDateMs)));
      expect(e.eventData).toMatchObject({ task_sid: ids.task, workspace_sid: ids.workspace, workspace_name: 'events workspace', workflow_sid: ids.workflow, workflow_name: 'languages' });
      for (const key of Object.keys(e.eventData)) expect(key).toMatch(/^[a-z]+(_[a-z]+)*$/);
    }
    const created = ofTask.find((e) => e.eventType === 'task.created')!;
    expect(created).toMatchObject({ resourceType: 'task', resourceSid: ids.task, actorType: 'workspace', actorSid: ids.workspace });
    expect(created.eventData).toMatchObject({ task_attributes: JSON.stringify({ language: 'es' }), task_assignment_status: 'pending', task_age: expect.stringMatching(/^\d+$/) });
    const accepted = ofTask.find((e) => e.eventType === 'reservation.accepted')!;
    expect(accepted).toMatchObject({ resourceType: 'reservation', resourceSid: ids.reservation });
    expect(accepted.resourceUrl).toBe(`${services.baseUrl}/v1/Workspaces/${ids.workspace}/Tasks/${ids.task}/Reservations/${ids.reservation}`);
    expect(accepted.eventData).toMatchObject({
      reservation_sid: ids.reservation, worker_sid: ids.worker, worker_name: 'Maria', worker_activity_name: 'Available',
      task_queue_sid: ids.queue, task_queue_name: 'Spanish', task_priority: '2', task_assignment_status: 'assigned',
    });
    expect(ofTask.find((e) => e.eventType === 'reservation.created')).toMatchObject({ actorType: 'workflow', actorSid: ids.workflow });
    expect(ofTask.find((e) => e.eventType === 'task.completed')!.eventData).toMatchObject({ task_assignment_status: 'completed', task_completed_reason: 'resolved' });
  });

  it('says how long the worker spent in its previous activity', async () => {
    await ws.workers(ids.worker).update({ activitySid: ids.offline });
    const updates = await ws.events.list({ workerSid: ids.worker, eventType: 'worker.activity.update' });
    expect(updates.map((e) => e.eventData.worker_activity_name)).toEqual(['Offline', 'Available']);
    const [latest] = updates;
    expect(latest.description).toBe('Worker Maria updated to Offline Activity');
    expect(latest.eventData).toMatchObject({ worker_previous_activity_sid: ids.available, worker_activity_sid: ids.offline, worker_name: 'Maria' });
    expect(Number(latest.eventData.worker_time_in_previous_activity)).toBe(Math.floor(Number(latest.eventData.worker_time_in_previous_activity_ms) / 1000));
    expect(Number(latest.eventData.worker_time_in_previous_activity_ms)).toBeGreaterThan(0);
  });

  it('filters by type, reservation, queue, workflow, channel and SID, and fetches one Event', async () => {
    const all = await ws.events.list({ minutes: 60 });
    expect(all.map((e) => e.eventType)).toEqual(expect.arrayContaining(['workspace.created', 'activity.created', 'task-channel.created', 'task-queue.created', 'workflow.created', 'worker.created']));
    const times = all.map((e) => Number(e.eventDateMs));
    expect(times).toEqual([...times].sort((a, b) => b - a));

    expect((await ws.events.list({ eventType: 'reservation.created' })).map((e) => e.resourceSid)).toEqual([ids.reservation]);
    expect((await ws.events.list({ reservationSid: ids.reservation })).map((e) => e.eventType)).toEqual(['reservation.completed', 'reservation.accepted', 'reservation.created']);
    expect((await ws.events.list({ taskQueueSid: ids.queue, eventType: 'task-queue.entered' })).map((e) => e.eventData.task_sid)).toEqual([ids.task]);
    expect((await ws.events.list({ workflowSid: ids.workflow, taskSid: ids.task })).length).toBe(8);
    expect((await ws.events.list({ taskChannel: 'default', taskSid: ids.task })).length).toBe(8);
    expect(await ws.events.list({ taskChannel: 'voice', taskSid: ids.task })).toEqual([]);
    expect(await ws.events.list({ endDate: new Date(Date.now() - 3_600_000) })).toEqual([]);

    const [one] = await ws.events.list({ sid: all[3].sid });
    expect(one.sid).toBe(all[3].sid);
    const fetched = await ws.events(all[3].sid).fetch();
    expect(fetched.toJSON()).toEqual(all[3].toJSON());
    await expect(ws.events(`EV${'0'.repeat(32)}`).fetch()).rejects.toMatchObject({ status: 404, code: 20404 });
  });

  it('pages newest first through next_page_url, the window fixed by the first page', async () => {
    const everything = await ws.events.list({ minutes: 60 });
    const paged = await ws.events.list({ minutes: 60, pageSize: 4 });
    expect(paged.map((e) => e.sid)).toEqual(everything.map((e) => e.sid));
    const page = await ws.events.page({ minutes: 60, pageSize: 4 });
    expect(page.nextPageUrl).toMatch(/StartDate=.*EndDate=.*Page=1/);
  });

  it('refuses bad filters in TaskRouter\'s error shape', async () => {
    const auth = `Basic ${Buffer.from(`${SDK_ACCOUNT_SID}:any-token`).toString('base64')}`;
    for (const query of ['StartDate=yesterday', 'EndDate=2024-02-30T00:00:00Z', 'Minutes=0', 'Minutes=43201', 'TaskSid=WK0123', 'Sid=EVxyz', 'StartDate=2024-03-01T00:00:00Z&Minutes=5']) {
      const response = await fetch(`${services.baseUrl}/v1/Workspaces/${ids.workspace}/Events?${query}`, { headers: { authorization: auth } });
      expect(response.status).toBe(400);
      expect(await response.json()).toMatchObject({ code: 20001, status: 400, message: expect.any(String), more_info: expect.any(String) });
    }
    await expect(client.taskrouter.v1.workspaces(`WS${'0'.repeat(32)}`).events.list()).rejects.toMatchObject({ status: 404 });
  });

  it('lists the same Events, SIDs and data after npm run replay rebuilds them from the log', async () => {
    const before = (await ws.events.list({ minutes: 60 })).map((e) => e.toJSON());
    await services.stop();
    const { code, stdout } = await runReplay({ schema: name, topicPrefix: name });
    expect(code).toBe(0);
    expect(stdout).toContain('verified: the rebuilt tables, timers and availability index equal the live state');
    await services.start('task-ingest');
    const after = (await ws.events.list({ startDate: new Date(Math.min(...before.map((e) => Number(e.eventDateMs)))) })).map((e) => e.toJSON());
    expect(after).toEqual(before);
  });
});
