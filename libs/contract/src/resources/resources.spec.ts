import fc from 'fast-check';
import { renderActivity } from './activity-resource';
import { renderReservation } from './reservation-resource';
import { isoSeconds, resourceUrl } from './resource-url';
import { renderTaskChannel } from './task-channel-resource';
import { renderTaskQueue } from './task-queue-resource';
import { renderTask, type TaskView } from './task-resource';
import { renderWorkerChannel, type WorkerChannelView } from './worker-channel-resource';
import { renderWorker, type WorkerView } from './worker-resource';
import { renderWorkflow } from './workflow-resource';
import { renderWorkspace } from './workspace-resource';

const BASE = 'https://taskrouter.example.com/';
const V1 = 'https://taskrouter.example.com/v1';
const sid = (prefix: string, n = 1) => prefix + n.toString(16).padStart(32, '0');
const [AC, WS, WA, TC, WQ, WK, WW, WT, WR] = ['AC', 'WS', 'WA', 'TC', 'WQ', 'WK', 'WW', 'WT', 'WR'].map((prefix) => sid(prefix));
const CREATED = '2014-05-14T14:26:54.123Z';
const UPDATED = '2014-05-14T15:00:00.999Z';
const dates = { dateCreated: CREATED, dateUpdated: UPDATED };
const sorted = (value: object) => Object.keys(value).sort();

// The property names of each resource in TaskRouter's OpenAPI description (twilio_taskrouter_v1.json).
const OAS_FIELDS = {
  workspace: ['account_sid', 'date_created', 'date_updated', 'default_activity_name', 'default_activity_sid', 'event_callback_url', 'events_filter', 'friendly_name', 'links', 'multi_task_enabled', 'prioritize_queue_order', 'sid', 'timeout_activity_name', 'timeout_activity_sid', 'url'],
  activity: ['account_sid', 'available', 'date_created', 'date_updated', 'friendly_name', 'links', 'sid', 'url', 'workspace_sid'],
  taskChannel: ['account_sid', 'channel_optimized_routing', 'date_created', 'date_updated', 'friendly_name', 'links', 'sid', 'unique_name', 'url', 'workspace_sid'],
  taskQueue: ['account_sid', 'assignment_activity_name', 'assignment_activity_sid', 'date_created', 'date_updated', 'friendly_name', 'links', 'max_reserved_workers', 'reservation_activity_name', 'reservation_activity_sid', 'sid', 'target_workers', 'task_order', 'url', 'workspace_sid'],
  workflow: ['account_sid', 'assignment_callback_url', 'configuration', 'date_created', 'date_updated', 'document_content_type', 'fallback_assignment_callback_url', 'friendly_name', 'links', 'sid', 'task_reservation_timeout', 'url', 'workspace_sid'],
  worker: ['account_sid', 'activity_name', 'activity_sid', 'attributes', 'available', 'date_created', 'date_status_changed', 'date_updated', 'friendly_name', 'links', 'sid', 'url', 'workspace_sid'],
  workerChannel: ['account_sid', 'assigned_tasks', 'available', 'available_capacity_percentage', 'configured_capacity', 'date_created', 'date_updated', 'sid', 'task_channel_sid', 'task_channel_unique_name', 'url', 'worker_sid', 'workspace_sid'],
  task: ['account_sid', 'addons', 'age', 'assignment_status', 'attributes', 'date_created', 'date_updated', 'ignore_capacity', 'links', 'priority', 'reason', 'routing_target', 'sid', 'task_channel_sid', 'task_channel_unique_name', 'task_queue_entered_date', 'task_queue_friendly_name', 'task_queue_sid', 'timeout', 'url', 'virtual_start_time', 'workflow_friendly_name', 'workflow_sid', 'workspace_sid'],
  reservation: ['account_sid', 'date_created', 'date_updated', 'links', 'reservation_status', 'sid', 'task_sid', 'url', 'worker_name', 'worker_sid', 'workspace_sid'],
};

const workerView: WorkerView = {
  sid: WK, accountSid: AC, workspaceSid: WS, friendlyName: 'Alice', attributes: { skills: ['sales'] }, activitySid: WA, activityName: 'Available',
  available: true, ...dates, dateStatusChanged: '2014-05-14T14:30:00.500Z', version: 7,
};
const taskView: TaskView = {
  sid: WT, accountSid: AC, workspaceSid: WS, workflowSid: WW, workflowFriendlyName: 'Sales', attributes: { type: 'support' }, assignmentStatus: 'pending',
  priority: 5, reason: null, taskQueueSid: WQ, taskQueueFriendlyName: 'Support', taskQueueEnteredDate: '2014-05-14T14:27:00.000Z',
  taskChannelSid: TC, taskChannelUniqueName: 'default', timeout: 86_400, ...dates, version: 3,
};
const workerChannelView = (configuredCapacity: number, reserved: number): WorkerChannelView => ({
  sid: sid('WC'), accountSid: AC, workspaceSid: WS, workerSid: WK, taskChannelSid: TC, taskChannelUniqueName: 'chat', configuredCapacity,
  available: true, assignedTasks: 0, reserved, ...dates,
});

describe('timestamps', () => {
  it("render as ISO-8601 UTC to the second, as TaskRouter's examples do", () => {
    expect(isoSeconds(CREATED)).toBe('2014-05-14T14:26:54Z');
    expect(isoSeconds('2014-05-14T16:26:54+02:00')).toBe('2014-05-14T14:26:54Z');
  });

  it('render as null when absent', () => {
    expect([isoSeconds(null), isoSeconds(undefined), isoSeconds('')]).toEqual([null, null, null]);
  });
});

describe('resource URLs', () => {
  it('are absolute, under /v1, whether or not the base URL ends with a slash', () => {
    expect(resourceUrl(BASE, `Workspaces/${WS}`)).toBe(`${V1}/Workspaces/${WS}`);
    expect(resourceUrl('https://taskrouter.example.com', `Workspaces/${WS}`)).toBe(`${V1}/Workspaces/${WS}`);
  });
});

describe('rendering resources with the fields of the OpenAPI description', () => {
  it('renders a workspace', () => {
    const body = renderWorkspace({
      sid: WS, accountSid: AC, friendlyName: 'Support', defaultActivitySid: WA, defaultActivityName: 'Offline', timeoutActivitySid: WA,
      timeoutActivityName: 'Offline', eventCallbackUrl: null, eventsFilter: null, multiTaskEnabled: true, prioritizeQueueOrder: 'FIFO', ...dates,
    }, BASE);
    expect(sorted(body)).toEqual(OAS_FIELDS.workspace);
    expect(body).toMatchObject({ url: `${V1}/Workspaces/${WS}`, date_created: '2014-05-14T14:26:54Z', date_updated: '2014-05-14T15:00:00Z', default_activity_name: 'Offline' });
    expect(sorted(body.links)).toEqual(['activities', 'cumulative_statistics', 'events', 'real_time_statistics', 'statistics', 'task_channels', 'task_queues', 'tasks', 'workers', 'workflows']);
    expect(body.links.task_queues).toBe(`${V1}/Workspaces/${WS}/TaskQueues`);
  });

  it('renders an activity', () => {
    const body = renderActivity({ sid: WA, accountSid: AC, workspaceSid: WS, friendlyName: 'Offline', available: false, ...dates }, BASE);
    expect(sorted(body)).toEqual(OAS_FIELDS.activity);
    expect(body).toMatchObject({ url: `${V1}/Workspaces/${WS}/Activities/${WA}`, available: false, links: { workspace: `${V1}/Workspaces/${WS}` } });
  });

  it('renders a task channel', () => {
    const body = renderTaskChannel({ sid: TC, accountSid: AC, workspaceSid: WS, uniqueName: 'voice', friendlyName: 'Voice', channelOptimizedRouting: false, ...dates }, BASE);
    expect(sorted(body)).toEqual(OAS_FIELDS.taskChannel);
    expect(body).toMatchObject({ unique_name: 'voice', url: `${V1}/Workspaces/${WS}/TaskChannels/${TC}` });
  });

  it('renders a task queue, with links to its activities only when it has them', () => {
    const view = {
      sid: WQ, accountSid: AC, workspaceSid: WS, friendlyName: 'Support', targetWorkers: null, maxReservedWorkers: 1, taskOrder: 'FIFO',
      reservationActivitySid: WA, reservationActivityName: 'Reserved', assignmentActivitySid: null, assignmentActivityName: null, ...dates,
    };
    const body = renderTaskQueue(view, BASE);
    expect(sorted(body)).toEqual(OAS_FIELDS.taskQueue);
    expect(body).toMatchObject({ target_workers: null, url: `${V1}/Workspaces/${WS}/TaskQueues/${WQ}` });
    expect(body.links).toMatchObject({ reservation_activity: `${V1}/Workspaces/${WS}/Activities/${WA}`, assignment_activity: null, statistics: `${V1}/Workspaces/${WS}/TaskQueues/${WQ}/Statistics` });
    expect(sorted(body.links)).toEqual(['assignment_activity', 'bulk_real_time_statistics', 'cumulative_statistics', 'list_statistics', 'real_time_statistics', 'reservation_activity', 'statistics', 'workspace']);
  });

  it('renders a workflow with its configuration as the string the client sent', () => {
    const configuration = '{"task_routing": {"default_filter": {"queue": "' + WQ + '"}}}';
    const body = renderWorkflow({
      sid: WW, accountSid: AC, workspaceSid: WS, friendlyName: 'Sales', configuration, taskReservationTimeout: 120, assignmentCallbackUrl: null, fallbackAssignmentCallbackUrl: null, ...dates,
    }, BASE);
    expect(sorted(body)).toEqual(OAS_FIELDS.workflow);
    expect(body).toMatchObject({ configuration, document_content_type: 'application/json', task_reservation_timeout: 120 });
  });

  it('renders a worker', () => {
    const body = renderWorker(workerView, BASE, { withAttributes: true });
    expect(sorted(body)).toEqual(OAS_FIELDS.worker);
    expect(body).toMatchObject({ date_status_changed: '2014-05-14T14:30:00Z', activity_name: 'Available', available: true, url: `${V1}/Workspaces/${WS}/Workers/${WK}` });
    expect(body.links).toMatchObject({ activity: `${V1}/Workspaces/${WS}/Activities/${WA}`, channels: `${V1}/Workspaces/${WS}/Workers/${WK}/Channels`, reservations: `${V1}/Workspaces/${WS}/Workers/${WK}/Reservations` });
  });

  it('renders a worker channel', () => {
    const body = renderWorkerChannel(workerChannelView(2, 1), BASE);
    expect(sorted(body)).toEqual(OAS_FIELDS.workerChannel);
    expect(body.url).toBe(`${V1}/Workspaces/${WS}/Workers/${WK}/Channels/chat`);
  });

  it('renders a task', () => {
    const body = renderTask(taskView, BASE, { withAttributes: true, now: new Date('2014-05-14T14:28:54.000Z') });
    expect(sorted(body)).toEqual(OAS_FIELDS.task);
    expect(body).toMatchObject({
      task_queue_entered_date: '2014-05-14T14:27:00Z', virtual_start_time: '2014-05-14T14:26:54Z', priority: 5, timeout: 86_400,
      url: `${V1}/Workspaces/${WS}/Tasks/${WT}`,
    });
    expect(body.links).toEqual({
      task_queue: `${V1}/Workspaces/${WS}/TaskQueues/${WQ}`, workflow: `${V1}/Workspaces/${WS}/Workflows/${WW}`, workspace: `${V1}/Workspaces/${WS}`,
      reservations: `${V1}/Workspaces/${WS}/Tasks/${WT}/Reservations`,
    });
  });

  it('renders a reservation under its task and under its worker, differing only in url', () => {
    const view = { sid: WR, accountSid: AC, workspaceSid: WS, taskSid: WT, workerSid: WK, workerName: 'Alice', reservationStatus: 'pending', ...dates };
    const underTask = renderReservation(view, BASE, 'task');
    const underWorker = renderReservation(view, BASE, 'worker');
    expect(sorted(underTask)).toEqual(OAS_FIELDS.reservation);
    expect(underTask.url).toBe(`${V1}/Workspaces/${WS}/Tasks/${WT}/Reservations/${WR}`);
    expect(underWorker.url).toBe(`${V1}/Workspaces/${WS}/Workers/${WK}/Reservations/${WR}`);
    expect({ ...underTask, url: null }).toEqual({ ...underWorker, url: null });
    expect(underTask.links).toEqual({ task: `${V1}/Workspaces/${WS}/Tasks/${WT}`, worker: `${V1}/Workspaces/${WS}/Workers/${WK}`, workspace: `${V1}/Workspaces/${WS}` });
  });
});

describe('attributes in a rendered task or worker', () => {
  it('are the JSON string when one resource is fetched', () => {
    expect(renderWorker(workerView, BASE, { withAttributes: true }).attributes).toBe('{"skills":["sales"]}');
    expect(renderTask(taskView, BASE, { withAttributes: true, now: new Date(CREATED) }).attributes).toBe('{"type":"support"}');
  });

  it('are null in lists, even when set', () => {
    expect(renderWorker(workerView, BASE, { withAttributes: false }).attributes).toBeNull();
    expect(renderTask(taskView, BASE, { withAttributes: false, now: new Date(CREATED) }).attributes).toBeNull();
  });
});

describe('the version behind the ETag', () => {
  it('is not a field of the body: it travels in the ETag header', () => {
    expect(renderWorker(workerView, BASE, { withAttributes: true })).not.toHaveProperty('version');
    expect(renderTask(taskView, BASE, { withAttributes: true, now: new Date(CREATED) })).not.toHaveProperty('version');
  });

  it('changes nothing in the body but date_updated when the resource is updated', () => {
    const before = renderWorker(workerView, BASE, { withAttributes: true });
    const after = renderWorker({ ...workerView, version: 8, dateUpdated: '2014-05-14T16:00:00.000Z' }, BASE, { withAttributes: true });
    expect({ ...after, date_updated: before.date_updated }).toEqual(before);
    expect(after.date_updated).toBe('2014-05-14T16:00:00Z');
  });
});

describe("a task's age", () => {
  it('is the whole seconds since it was created, by the clock given', () => {
    expect(renderTask(taskView, BASE, { withAttributes: false, now: new Date('2014-05-14T14:28:54.122Z') }).age).toBe(119);
    expect(renderTask(taskView, BASE, { withAttributes: false, now: new Date('2014-05-14T14:28:54.123Z') }).age).toBe(120);
  });

  it('is never negative when the clock is behind the creation time', () => {
    expect(renderTask(taskView, BASE, { withAttributes: false, now: new Date('2014-05-14T14:00:00.000Z') }).age).toBe(0);
  });

  it('has no task_queue link while the task is in no queue', () => {
    const body = renderTask({ ...taskView, taskQueueSid: null, taskQueueFriendlyName: null, taskQueueEnteredDate: null }, BASE, { withAttributes: false, now: new Date(CREATED) });
    expect([body.task_queue_sid, body.task_queue_entered_date, body.links.task_queue]).toEqual([null, null, null]);
  });
});

describe("a worker channel's available capacity percentage", () => {
  it.each<[number, number, number]>([
    [1, 0, 100],
    [2, 1, 50],
    [3, 1, 66],
    [3, 3, 0],
    [2, 3, 0],
    [0, 0, 0],
    [5, 4, 20],
  ])('with capacity %p and %p reservations is %p', (capacity, reserved, percentage) => {
    expect(renderWorkerChannel(workerChannelView(capacity, reserved), BASE).available_capacity_percentage).toBe(percentage);
  });

  it('is floor((1 - reservations / capacity) * 100) computed exactly, for every capacity up to 50', () => {
    fc.assert(fc.property(fc.integer({ min: 1, max: 50 }).chain((capacity) => fc.tuple(fc.constant(capacity), fc.nat({ max: capacity }))), ([capacity, reserved]) => {
      const exact = Math.floor((100 * (capacity - reserved)) / capacity);
      expect(renderWorkerChannel(workerChannelView(capacity, reserved), BASE).available_capacity_percentage).toBe(exact);
    }), { numRuns: 500 });
  });
});
