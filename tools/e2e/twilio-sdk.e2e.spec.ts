import { cleanUpTestStack, freePort, startServices, uniqueName, eventually, type RunningServices } from '@taskrouter/testing';
import type twilio from 'twilio';
import { sdkClient } from './test-support/twilio-sdk-client';

describe('the official twilio Node SDK, pointed at this server', () => {
  let services: RunningServices;
  let client: twilio.Twilio;
  const name = uniqueName('sdk');

  beforeAll(async () => {
    services = await startServices({ schema: name, topicPrefix: name, port: await freePort() });
    client = sdkClient(services.baseUrl);
  });

  afterAll(async () => {
    await services?.stop();
    await cleanUpTestStack(name);
  });

  it('configures a workspace, routes a task, accepts and completes it', async () => {
    const workspace = await client.taskrouter.v1.workspaces.create({ friendlyName: 'sdk workspace' });
    expect(workspace.sid).toMatch(/^WS[0-9a-f]{32}$/);
    expect(workspace.dateCreated).toBeInstanceOf(Date);
    const ws = client.taskrouter.v1.workspaces(workspace.sid);

    const activities = await ws.activities.list();
    expect(activities.map((a) => a.friendlyName).sort()).toEqual(['Available', 'Offline', 'Unavailable']);
    const available = activities.find((a) => a.available)!;

    const queue = await ws.taskQueues.create({ friendlyName: 'Spanish', targetWorkers: 'languages HAS "es"' });
    const workflow = await ws.workflows.create({
      friendlyName: 'languages',
      taskReservationTimeout: 60,
      configuration: JSON.stringify({ task_routing: { filters: [{ filter_friendly_name: 'es', expression: 'language == "es"', targets: [{ queue: queue.sid, priority: '3' }] }] } }),
    });
    expect(JSON.parse(workflow.configuration).task_routing.filters[0].filter_friendly_name).toBe('es');

    const worker = await ws.workers.create({ friendlyName: 'Maria', attributes: JSON.stringify({ languages: ['es', 'en'] }) });
    expect(worker.activityName).toBe('Offline');
    const availableWorker = await ws.workers(worker.sid).update({ activitySid: available.sid });
    expect(availableWorker.available).toBe(true);
    expect(JSON.parse(availableWorker.attributes)).toEqual({ languages: ['es', 'en'] });

    const task = await ws.tasks.create({ workflowSid: workflow.sid, attributes: JSON.stringify({ language: 'es' }) });
    expect(task.assignmentStatus).toBe('pending');
    const reservation = await eventually(async () => (await ws.tasks(task.sid).reservations.list({ reservationStatus: 'pending' }))[0], { what: 'a pending reservation' });
    expect(reservation.workerSid).toBe(worker.sid);

    const accepted = await ws.tasks(task.sid).reservations(reservation.sid).update({ reservationStatus: 'accepted' });
    expect(accepted.reservationStatus).toBe('accepted');
    const fromWorkerSide = await ws.workers(worker.sid).reservations(reservation.sid).fetch();
    expect(fromWorkerSide.reservationStatus).toBe('accepted');

    const completed = await ws.tasks(task.sid).update({ assignmentStatus: 'completed', reason: 'done' });
    expect(completed.assignmentStatus).toBe('completed');
    expect(completed.priority).toBe(3);
    expect(completed.taskQueueSid).toBe(queue.sid);
  });

  it('follows next_page_url through a long list', async () => {
    const workspace = await client.taskrouter.v1.workspaces.create({ friendlyName: 'paging' });
    const ws = client.taskrouter.v1.workspaces(workspace.sid);
    for (let i = 0; i < 7; i++) await ws.workers.create({ friendlyName: `worker-${i}` });
    const names = (await ws.workers.list({ pageSize: 3 })).map((w) => w.friendlyName);
    expect(names).toEqual([0, 1, 2, 3, 4, 5, 6].map((i) => `worker-${i}`));
  });

  it('surfaces our errors as the SDK’s RestException with TaskRouter’s code and status', async () => {
    const workspace = await client.taskrouter.v1.workspaces.create({ friendlyName: 'errors' });
    const failure = await client.taskrouter.v1.workspaces(workspace.sid).tasks.create({ attributes: '{not json' }).catch((error: unknown) => error);
    expect(failure).toMatchObject({ status: 400, code: 20001, moreInfo: 'https://www.twilio.com/docs/errors/20001' });
  });
});
