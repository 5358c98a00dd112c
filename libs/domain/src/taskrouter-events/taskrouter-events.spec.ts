import fc from 'fast-check';
import type { AnyDomainEvent } from '../all-events';
import { event } from '../shared/domain-event';
import { streamIds } from '../shared/stream-ids';
import { ACCOUNT, AVAILABLE, OFFLINE, QUEUE, OTHER_QUEUE, RESERVATION, SECOND_RESERVATION, TASK, WORKER, WORKFLOW, WORKSPACE, isoLater, sidOf } from '../testing-support/fixtures';
import { assembleEvent } from './assemble-event';
import { describeEvent } from './describe-event';
import { eventSid } from './event-sid';
import { murmurHash128 } from './murmur-hash';
import { publicEventData } from './public-event-data';
import { streamOf } from './stream-of-event';
import { INTERNAL, type Facts } from './subject-facts';
import { TASKROUTER_EVENT_TYPES, type TaskRouterEventRecord } from './taskrouter-event';
import { taskRouterEventsOf } from './taskrouter-events-of';

const SECOND_TASK = sidOf('WT', 2);
const THIRD_TASK = sidOf('WT', 3);
const ws = { workspaceSid: WORKSPACE };
const offline = { sid: OFFLINE, name: 'Offline', available: false };
const available = { sid: AVAILABLE, name: 'Available', available: true };
const voice = { workerChannelSid: sidOf('WC', 1), taskChannelSid: sidOf('TC', 2), uniqueName: 'voice', capacity: 1, available: true };

/** A scripted log touching every domain event type, each event as (event, its stream version). */
function scenario(): AnyDomainEvent[] {
  const task = (taskSid: string, seconds: number) => event('TaskCreated', {
    ...ws, taskSid, workflowSid: WORKFLOW, attributes: { language: 'es', vip: true }, priority: null,
    taskChannelSid: voice.taskChannelSid, taskChannelUniqueName: 'voice', timeout: 3600, at: isoLater(seconds),
  });
  const routed = (taskSid: string, queueSid: string, previousQueueSid: string | null, seconds: number) => event('TaskRouted', {
    ...ws, taskSid, workflowSid: WORKFLOW, step: { filterIndex: 0, targetIndex: 0 }, filterName: 'es', queueSid, previousQueueSid,
    priority: 3, targetTimeout: 30, explanation: [], triggerVersion: 1, at: isoLater(seconds),
  });
  const reservation = (taskSid: string, reservationSid: string, seconds: number) => ({ ...ws, taskSid, reservationSid, workerSid: WORKER, at: isoLater(seconds) });
  return [
    event('WorkspaceCreated', {
      ...ws, accountSid: ACCOUNT, friendlyName: 'Support', eventCallbackUrl: null, eventsFilter: null, multiTaskEnabled: true,
      prioritizeQueueOrder: 'FIFO', defaultActivitySid: OFFLINE, timeoutActivitySid: OFFLINE, at: isoLater(0),
    }),
    event('ActivityCreated', { ...ws, activitySid: OFFLINE, friendlyName: 'Offline', available: false, at: isoLater(0) }),
    event('TaskChannelCreated', { ...ws, taskChannelSid: voice.taskChannelSid, uniqueName: 'voice', friendlyName: 'Voice', channelOptimizedRouting: false, at: isoLater(0) }),
    event('WorkspaceUpdated', { ...ws, changes: { friendlyName: 'Support desk' }, at: isoLater(1) }),
    event('TaskQueueCreated', {
      ...ws, taskQueueSid: QUEUE, friendlyName: 'Spanish', targetWorkers: 'languages HAS "es"', maxReservedWorkers: 1, taskOrder: 'FIFO',
      reservationActivitySid: null, assignmentActivitySid: null, at: isoLater(2),
    }),
    event('TaskQueueUpdated', { ...ws, taskQueueSid: QUEUE, changes: { targetWorkers: '1==1' }, at: isoLater(3) }),
    event('TaskQueueCreated', {
      ...ws, taskQueueSid: OTHER_QUEUE, friendlyName: 'Overflow', targetWorkers: null, maxReservedWorkers: 1, taskOrder: 'FIFO',
      reservationActivitySid: null, assignmentActivitySid: null, at: isoLater(3),
    }),
    event('WorkflowCreated', {
      ...ws, workflowSid: WORKFLOW, friendlyName: 'Languages', configuration: '{}', taskReservationTimeout: 120,
      assignmentCallbackUrl: null, fallbackAssignmentCallbackUrl: null, at: isoLater(4),
    }),
    event('WorkflowUpdated', { ...ws, workflowSid: WORKFLOW, changes: { friendlyName: 'Languages 2' }, reEvaluateTasks: false, at: isoLater(5) }),
    event('WorkerCreated', { ...ws, workerSid: WORKER, friendlyName: 'Maria', attributes: { languages: ['es'] }, activity: offline, channels: [voice], at: isoLater(6) }),
    event('WorkerChannelAdded', { ...ws, workerSid: WORKER, channel: { ...voice, workerChannelSid: sidOf('WC', 2), taskChannelSid: sidOf('TC', 9), uniqueName: 'sms' }, at: isoLater(6) }),
    event('WorkerActivityChanged', { ...ws, workerSid: WORKER, activity: available, previousActivity: offline, cause: 'api', at: isoLater(16.5) }),
    event('WorkerUpdated', { ...ws, workerSid: WORKER, attributes: { languages: ['es', 'en'] }, at: isoLater(17) }),
    event('WorkerUpdated', { ...ws, workerSid: WORKER, friendlyName: 'María', at: isoLater(17) }),
    event('WorkerChannelUpdated', { ...ws, workerSid: WORKER, uniqueName: 'voice', capacity: 3, at: isoLater(18) }),
    event('WorkerChannelUpdated', { ...ws, workerSid: WORKER, uniqueName: 'voice', available: false, at: isoLater(19) }),
    event('WorkerChannelUpdated', { ...ws, workerSid: WORKER, uniqueName: 'voice', available: true, at: isoLater(19) }),
    task(TASK, 20),
    routed(TASK, QUEUE, null, 20),
    event('TaskReserved', { ...reservation(TASK, RESERVATION, 21), workerName: 'María', queueSid: QUEUE, reservationTimeout: 120 }),
    event('WorkerReserved', { ...ws, workerSid: WORKER, reservationSid: RESERVATION, taskSid: TASK, channel: 'voice', at: isoLater(21) }),
    event('ReservationRejected', reservation(TASK, RESERVATION, 22)),
    event('WorkerReservationEnded', { ...ws, workerSid: WORKER, reservationSid: RESERVATION, channel: 'voice', outcome: 'rejected', at: isoLater(22) }),
    event('TaskTargetTimedOut', { ...ws, taskSid: TASK, step: { filterIndex: 0, targetIndex: 0 }, reason: 'timeout', at: isoLater(50) }),
    routed(TASK, OTHER_QUEUE, QUEUE, 50),
    event('TaskReserved', { ...reservation(TASK, SECOND_RESERVATION, 51), workerName: 'María', queueSid: OTHER_QUEUE, reservationTimeout: 120 }),
    event('ReservationTimedOut', reservation(TASK, SECOND_RESERVATION, 171)),
    event('TaskReserved', { ...reservation(TASK, sidOf('WR', 3), 172), workerName: 'María', queueSid: OTHER_QUEUE, reservationTimeout: 120 }),
    event('ReservationCanceled', { ...reservation(TASK, sidOf('WR', 3), 173), reason: 'callback unreachable' }),
    event('TaskReserved', { ...reservation(TASK, sidOf('WR', 4), 174), workerName: 'María', queueSid: OTHER_QUEUE, reservationTimeout: 120 }),
    event('ReservationAccepted', reservation(TASK, sidOf('WR', 4), 175)),
    event('WorkerReservationAccepted', { ...ws, workerSid: WORKER, reservationSid: sidOf('WR', 4), at: isoLater(175) }),
    event('TaskUpdated', { ...ws, taskSid: TASK, attributes: { language: 'es', vip: false }, at: isoLater(176) }),
    event('TaskWrappingUp', { ...ws, taskSid: TASK, reservationSid: sidOf('WR', 4), reason: null, at: isoLater(180) }),
    event('TaskCompleted', { ...ws, taskSid: TASK, reservationSid: sidOf('WR', 4), workerSid: WORKER, reason: 'done', at: isoLater(190) }),
    task(SECOND_TASK, 200),
    routed(SECOND_TASK, QUEUE, null, 200),
    event('TaskTargetTimedOut', { ...ws, taskSid: SECOND_TASK, step: { filterIndex: 0, targetIndex: 0 }, reason: 'skip_if', at: isoLater(200) }),
    event('TaskCanceled', { ...ws, taskSid: SECOND_TASK, reason: 'Task fell out of the workflow', reservationSid: null, workerSid: null, cause: 'workflow-timeout', at: isoLater(200) }),
    task(THIRD_TASK, 300),
    routed(THIRD_TASK, QUEUE, null, 300),
    event('TaskReserved', { ...reservation(THIRD_TASK, sidOf('WR', 5), 301), workerName: 'María', queueSid: QUEUE, reservationTimeout: 120 }),
    event('TaskCanceled', { ...ws, taskSid: THIRD_TASK, reason: 'Task TTL Exceeded', reservationSid: sidOf('WR', 5), workerSid: WORKER, cause: 'ttl', at: isoLater(302) }),
    event('TaskCanceled', { ...ws, taskSid: sidOf('WT', 4), reason: null, reservationSid: null, workerSid: null, cause: 'workflow-timeout', at: isoLater(303) }),
    event('TaskQueueDeleted', { ...ws, taskQueueSid: OTHER_QUEUE, at: isoLater(400) }),
    event('WorkflowDeleted', { ...ws, workflowSid: WORKFLOW, at: isoLater(401) }),
    event('WorkerDeleted', { ...ws, workerSid: WORKER, at: isoLater(402) }),
  ] as AnyDomainEvent[];
}

interface Shown { sid: string; type: string; actorSid: string; resource: string; data: Record<string, string>; description: string }

/**
 * The whole pipeline in memory, as the projection and the API run it: versions per stream, each
 * record merged with its subjects' facts as they stood before its log event (the facts folded
 * after each event's Events), then shown with the names as they are when read.
 */
function project(events: AnyDomainEvent[]): Shown[] {
  const versions = new Map<string, number>();
  const facts = new Map<string, Record<string, unknown>>();
  const stored: Array<{ record: TaskRouterEventRecord; assembled: ReturnType<typeof assembleEvent> }> = [];
  for (const e of events) {
    const stream = streamOf(e);
    const version = (versions.get(stream) ?? 0) + 1;
    versions.set(stream, version);
    const { records, facts: changes } = taskRouterEventsOf(e, version);
    for (const record of records) stored.push({ record, assembled: assembleEvent(record, (subject) => facts.get(subject) as Facts | undefined) });
    for (const change of changes) facts.set(change.subject, { ...facts.get(change.subject), ...change.patch });
  }
  return stored.map(({ record, assembled }) => {
    const names = {
      workspace_name: facts.get(record.workspaceSid)?.workspace_name as string,
      task_queue_name: facts.get(String(assembled.data.task_queue_sid))?.task_queue_name as string | undefined,
      workflow_name: facts.get(String(assembled.data.workflow_sid))?.workflow_name as string | undefined,
    };
    const data = publicEventData(assembled.eventType, assembled.data, record.eventDateMs, names);
    return { sid: record.sid, type: assembled.eventType, actorSid: assembled.actorSid, resource: `${record.resourceType}:${record.resourceSid}`, data, description: describeEvent(assembled.eventType, data) };
  });
}

const ofType = (shown: Shown[], type: string) => shown.filter((s) => s.type === type);

describe('TaskRouter Events from the log', () => {
  const shown = project(scenario());

  it('produces every type this server has a cause for, and only §10.2 types', () => {
    expect([...new Set(shown.map((s) => s.type))].sort()).toEqual([...TASKROUTER_EVENT_TYPES].sort());
  });

  it('gives a task its creation Events in TaskRouter order, then its routing Events', () => {
    const first = shown.filter((s) => s.data.task_sid === TASK).map((s) => s.type);
    expect(first.slice(0, 4)).toEqual(['task.created', 'workflow.entered', 'workflow.target-matched', 'task-queue.entered']);
    expect(first).toEqual([
      'task.created', 'workflow.entered', 'workflow.target-matched', 'task-queue.entered', 'reservation.created', 'reservation.rejected',
      'task-queue.timeout', 'workflow.target-matched', 'task-queue.moved', 'task-queue.entered', 'reservation.created', 'reservation.timeout',
      'reservation.created', 'reservation.canceled', 'reservation.created', 'reservation.accepted', 'task.updated', 'task.wrapup',
      'reservation.wrapup', 'task.completed', 'reservation.completed',
    ]);
  });

  it('names every event_data field in snake_case and gives every value as a string', () => {
    for (const s of shown) {
      for (const [key, value] of Object.entries(s.data)) {
        expect(key).toMatch(/^[a-z]+(_[a-z]+)*$/);
        expect(typeof value).toBe('string');
      }
      expect(s.data.workspace_sid).toBe(WORKSPACE);
      // Names of other resources are read as they are now; the workspace's own Events keep the name they set.
      expect(s.data.workspace_name).toBe(s.type === 'workspace.created' ? 'Support' : 'Support desk');
    }
  });

  it('fills the task fields of task and reservation Events from the task as it stood', () => {
    const [created] = ofType(shown, 'task.created');
    expect(created.data).toMatchObject({
      task_sid: TASK, task_attributes: JSON.stringify({ language: 'es', vip: true }), task_age: '0', task_priority: '0',
      task_assignment_status: 'pending', workflow_sid: WORKFLOW, workflow_name: 'Languages 2', task_channel_unique_name: 'voice',
    });
    expect(created.data.task_queue_sid).toBeUndefined();
    const accepted = ofType(shown, 'reservation.accepted')[0];
    expect(accepted.data).toMatchObject({
      task_sid: TASK, task_age: '155', task_priority: '3', task_assignment_status: 'assigned', task_queue_sid: OTHER_QUEUE, task_queue_name: 'Overflow',
      reservation_sid: sidOf('WR', 4), worker_sid: WORKER, worker_name: 'María', worker_activity_name: 'Available',
      worker_attributes: JSON.stringify({ languages: ['es', 'en'] }), workflow_sid: WORKFLOW,
    });
    expect(ofType(shown, 'task.updated')[0].data.task_attributes).toBe(JSON.stringify({ language: 'es', vip: false }));
    expect(ofType(shown, 'task.completed')[0].data).toMatchObject({ task_assignment_status: 'completed', task_completed_reason: 'done' });
    // A wrap-up names only the reservation: its worker is the task's.
    expect(ofType(shown, 'reservation.wrapup')[0].data).toMatchObject({ worker_sid: WORKER, worker_name: 'María', task_assignment_status: 'wrapping' });
    expect(ofType(shown, 'task-queue.moved')[0].data).toMatchObject({ task_queue_sid: OTHER_QUEUE, task_queue_name: 'Overflow' });
    expect(ofType(shown, 'task-queue.timeout')[0].data).toMatchObject({ task_queue_sid: QUEUE, task_queue_name: 'Spanish' });
  });

  it('gives the time a worker spent in its previous activity, and its channel changes', () => {
    const [update] = ofType(shown, 'worker.activity.update');
    expect(update.data).toMatchObject({
      worker_sid: WORKER, worker_name: 'Maria', worker_activity_sid: AVAILABLE, worker_activity_name: 'Available', worker_previous_activity_sid: OFFLINE,
      worker_time_in_previous_activity: '10', worker_time_in_previous_activity_ms: '10500',
    });
    expect(update.description).toBe('Worker Maria updated to Available Activity');
    expect(ofType(shown, 'worker.capacity.update')[0].data).toMatchObject({ worker_channel_previous_capacity: '1', worker_channel_configured_capacity: '3', task_channel_unique_name: 'voice' });
    expect(ofType(shown, 'worker.channel.availability.update').map((s) => s.data.worker_channel_available)).toEqual(['false', 'true']);
    expect(ofType(shown, 'worker.attributes.update')).toHaveLength(1);
  });

  it('tells a task that skipped out of its workflow from one that timed out, and names the actor', () => {
    expect(ofType(shown, 'workflow.skipped').map((s) => s.data.task_sid)).toEqual([SECOND_TASK]);
    expect(ofType(shown, 'workflow.timeout').map((s) => s.data.task_sid)).toEqual([sidOf('WT', 4)]);
    expect(ofType(shown, 'reservation.created').every((s) => s.actorSid === WORKFLOW)).toBe(true);
    expect(ofType(shown, 'task.created')[0].actorSid).toBe(WORKSPACE);
    const ttl = ofType(shown, 'task.canceled').find((s) => s.data.task_sid === THIRD_TASK)!;
    expect(ttl.data.task_canceled_reason).toBe('Task TTL Exceeded');
    expect(ofType(shown, 'reservation.canceled').map((s) => s.data.reservation_sid)).toEqual([sidOf('WR', 3), sidOf('WR', 5)]);
  });

  it('keeps configuration resources named after they are gone', () => {
    expect(ofType(shown, 'task-queue.deleted')[0].description).toBe('TaskQueue Overflow deleted');
    expect(ofType(shown, 'workflow.deleted')[0].description).toBe('Workflow Languages 2 deleted');
    expect(ofType(shown, 'worker.deleted')[0].description).toBe('Worker María deleted');
    expect(ofType(shown, 'task-queue.expression.updated')[0].data).toMatchObject({ task_queue_name: 'Spanish', task_queue_target_expression: '1==1' });
  });

  it('derives Event SIDs from the log event alone: the same on every replay, unique within the log', () => {
    const again = project(scenario());
    expect(again.map((s) => s.sid)).toEqual(shown.map((s) => s.sid));
    expect(new Set(shown.map((s) => s.sid)).size).toBe(shown.length);
    for (const s of shown) expect(s.sid).toMatch(/^EV[0-9a-f]{32}$/);
    expect(eventSid(streamIds.task(TASK), 1, 0)).toBe(eventSid(streamIds.task(TASK), 1, 0));
    expect(eventSid(streamIds.task(TASK), 1, 0)).not.toBe(eventSid(streamIds.task(TASK), 1, 1));
  });

  it('finds each event its stream from its data', () => {
    const events = scenario();
    expect(streamOf(events[0])).toBe(streamIds.workspace(WORKSPACE));
    expect(streamOf(events.find((e) => e.type === 'TaskQueueUpdated')!)).toBe(streamIds.taskQueue(QUEUE));
    expect(streamOf(events.find((e) => e.type === 'WorkflowDeleted')!)).toBe(streamIds.workflow(WORKFLOW));
    expect(streamOf(events.find((e) => e.type === 'WorkerReserved')!)).toBe(streamIds.worker(WORKER));
    expect(streamOf(events.find((e) => e.type === 'ReservationAccepted')!)).toBe(streamIds.task(TASK));
  });

  it('gives no Event for what §10.2 has no type for, and keeps internal fields out of event_data', () => {
    expect(taskRouterEventsOf(event('WorkerUpdated', { ...ws, workerSid: WORKER, friendlyName: 'x', at: isoLater(1) }), 3).records).toEqual([]);
    expect(taskRouterEventsOf(event('TaskQueueUpdated', { ...ws, taskQueueSid: QUEUE, changes: { friendlyName: 'x' }, at: isoLater(1) }), 3).records).toEqual([]);
    expect(taskRouterEventsOf(event('WorkerReserved', { ...ws, workerSid: WORKER, reservationSid: RESERVATION, taskSid: TASK, channel: 'voice', at: isoLater(1) }), 3).records).toEqual([]);
    for (const s of shown) for (const key of Object.values(INTERNAL)) expect(s.data).not.toHaveProperty(key);
  });
});

describe('murmurHash128 (MurmurHash3 x86 128-bit)', () => {
  it('matches the reference implementation', () => {
    // Vectors from the reference C implementation (Python's mmh3, x64arch=False, h1..h4 in order).
    expect(murmurHash128('')).toBe('00000000000000000000000000000000');
    expect(murmurHash128('a')).toBe('a794933c5556b01b5556b01b5556b01b');
    expect(murmurHash128('hello')).toBe('2b2444a0db91def79adb31b69adb31b6');
    expect(murmurHash128('0123456789abcdef')).toBe('fb7d440936aed30a48ad1d9b572b3bfd');
    expect(murmurHash128('0123456789abcdefXYZ')).toBe('639b7bcf4aa7a92efaec1e0f691e504f');
    expect(murmurHash128('task:WT0123456789abcdef0123456789abcdef\u00007\u00001')).toBe('9a308759fbc733cab629b96bdc87e307');
  });

  it('gives distinct SIDs to distinct log positions', () => {
    fc.assert(fc.property(fc.uniqueArray(fc.tuple(fc.integer({ min: 1, max: 50 }), fc.integer({ min: 1, max: 100_000 }), fc.integer({ min: 0, max: 3 })), {
      minLength: 2, maxLength: 500, selector: ([s, v, i]) => `${s}/${v}/${i}`,
    }), (positions) => {
      const sids = positions.map(([s, v, i]) => eventSid(streamIds.task(sidOf('WT', s)), v, i));
      expect(new Set(sids).size).toBe(sids.length);
    }));
  });
});
