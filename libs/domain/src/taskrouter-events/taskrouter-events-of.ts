import type { AnyDomainEvent } from '../all-events';
import type { ActivityRef, WorkerChannelData } from '../worker/worker-events';
import { eventSid } from './event-sid';
import { streamOf } from './stream-of-event';
import { INTERNAL, subjectKeys } from './subject-facts';
import type {
  ActorType, EventSubjects, FactsChange, ResourceType, TaskRouterEventRecord, TaskRouterEventType, TaskRouterEventsOf,
} from './taskrouter-event';

const NONE: TaskRouterEventsOf = { records: [], facts: [] };

/** Collects one log event's Events (numbered in order: the index in their SIDs) and facts changes. */
class EventsOfOne {
  readonly records: TaskRouterEventRecord[] = [];
  readonly facts: FactsChange[] = [];
  private readonly eventDateMs: number;

  constructor(private readonly streamId: string, private readonly version: number, private readonly workspaceSid: string, private readonly at: string) {
    this.eventDateMs = Date.parse(at);
  }

  /** An Event; `actor` without a SID is the workflow of the task (found in its facts). */
  add(eventType: TaskRouterEventType, resource: [ResourceType, string], actor: [ActorType, string?], subjects: EventSubjects, data: Record<string, unknown>): void {
    const index = this.records.length;
    this.records.push({
      sid: eventSid(this.streamId, this.version, index), workspaceSid: this.workspaceSid, eventType,
      resourceType: resource[0], resourceSid: resource[1], actorType: actor[0], actorSid: actor[1] ?? '',
      eventDate: this.at, eventDateMs: this.eventDateMs, streamVersion: this.version, index, subjects,
      data: { workspace_sid: this.workspaceSid, ...data },
    });
  }

  fact(subject: string, patch: Record<string, unknown>): void {
    this.facts.push({ subject, workspaceSid: this.workspaceSid, patch });
  }

  done(): TaskRouterEventsOf {
    return { records: this.records, facts: this.facts };
  }
}

const workerActivity = (activity: ActivityRef) => ({ worker_activity_sid: activity.sid, worker_activity_name: activity.name });

function channelFacts(channel: WorkerChannelData): Record<string, unknown> {
  return {
    task_channel_sid: channel.taskChannelSid, task_channel_unique_name: channel.uniqueName,
    worker_channel_available: channel.available, [INTERNAL.capacity]: channel.capacity,
  };
}

/**
 * The TaskRouter Events (reference §10.2) a stored domain event gives rise to, at the moment
 * TaskRouter would send them, and what it changes in the facts later Events read. Pure: a
 * function of the event and its stream version only, so a replay gives the same Events, SIDs
 * included. Types this server has no cause for (transfers, deletes of tasks, rescinded and
 * failed reservations, activity and channel updates) are never produced.
 */
export function taskRouterEventsOf(event: AnyDomainEvent, streamVersion: number): TaskRouterEventsOf {
  const d = event.data;
  const out = new EventsOfOne(streamOf(event), streamVersion, d.workspaceSid, d.at);
  const api: [ActorType, string] = ['workspace', d.workspaceSid];
  const workflow: [ActorType] = ['workflow'];
  switch (event.type) {
    case 'WorkspaceCreated': {
      const e = event.data;
      out.add('workspace.created', ['workspace', e.workspaceSid], api, {}, { workspace_name: e.friendlyName });
      out.fact(e.workspaceSid, { workspace_sid: e.workspaceSid, workspace_name: e.friendlyName, [INTERNAL.accountSid]: e.accountSid });
      return out.done();
    }
    case 'WorkspaceUpdated': {
      const e = event.data;
      const renamed = e.changes.friendlyName !== undefined ? { workspace_name: e.changes.friendlyName } : {};
      out.add('workspace.updated', ['workspace', e.workspaceSid], api, { other: e.workspaceSid }, renamed);
      if (e.changes.friendlyName !== undefined) out.fact(e.workspaceSid, renamed);
      return out.done();
    }
    case 'ActivityCreated': {
      const e = event.data;
      out.add('activity.created', ['activity', e.activitySid], api, {}, { activity_sid: e.activitySid, activity_name: e.friendlyName, activity_available: e.available });
      return out.done();
    }
    case 'TaskChannelCreated': {
      const e = event.data;
      out.add('task-channel.created', ['task-channel', e.taskChannelSid], api, {}, {
        task_channel_sid: e.taskChannelSid, task_channel_name: e.friendlyName, task_channel_unique_name: e.uniqueName,
        task_channel_optimized_routing: e.channelOptimizedRouting,
      });
      return out.done();
    }
    case 'TaskQueueCreated': {
      const e = event.data;
      const queue = { task_queue_sid: e.taskQueueSid, task_queue_name: e.friendlyName, task_queue_target_expression: e.targetWorkers };
      out.add('task-queue.created', ['task-queue', e.taskQueueSid], api, {}, queue);
      out.fact(e.taskQueueSid, queue);
      return out.done();
    }
    case 'TaskQueueUpdated': {
      const e = event.data;
      const patch: Record<string, unknown> = {};
      if (e.changes.friendlyName !== undefined) patch.task_queue_name = e.changes.friendlyName;
      if (e.changes.targetWorkers !== undefined) patch.task_queue_target_expression = e.changes.targetWorkers;
      // §10.2 has no task-queue.updated: only a new TargetWorkers expression is an Event.
      if (e.changes.targetWorkers !== undefined) out.add('task-queue.expression.updated', ['task-queue', e.taskQueueSid], api, { other: e.taskQueueSid }, { task_queue_sid: e.taskQueueSid, ...patch });
      if (Object.keys(patch).length > 0) out.fact(e.taskQueueSid, patch);
      return out.done();
    }
    case 'TaskQueueDeleted': {
      const e = event.data;
      out.add('task-queue.deleted', ['task-queue', e.taskQueueSid], api, { other: e.taskQueueSid }, { task_queue_sid: e.taskQueueSid });
      return out.done();
    }
    case 'WorkflowCreated': {
      const e = event.data;
      const flow = { workflow_sid: e.workflowSid, workflow_name: e.friendlyName };
      out.add('workflow.created', ['workflow', e.workflowSid], api, {}, flow);
      out.fact(e.workflowSid, flow);
      return out.done();
    }
    case 'WorkflowUpdated': {
      const e = event.data;
      const renamed = e.changes.friendlyName !== undefined ? { workflow_name: e.changes.friendlyName } : {};
      out.add('workflow.updated', ['workflow', e.workflowSid], api, { other: e.workflowSid }, { workflow_sid: e.workflowSid, ...renamed });
      if (e.changes.friendlyName !== undefined) out.fact(e.workflowSid, renamed);
      return out.done();
    }
    case 'WorkflowDeleted': {
      const e = event.data;
      out.add('workflow.deleted', ['workflow', e.workflowSid], api, { other: e.workflowSid }, { workflow_sid: e.workflowSid });
      return out.done();
    }
    case 'WorkerCreated': {
      const e = event.data;
      const worker = {
        worker_sid: e.workerSid, worker_name: e.friendlyName, worker_attributes: e.attributes, ...workerActivity(e.activity),
        [INTERNAL.activitySinceMs]: Date.parse(e.at),
      };
      out.add('worker.created', ['worker', e.workerSid], api, {}, worker);
      out.fact(e.workerSid, worker);
      for (const channel of e.channels) out.fact(subjectKeys.channel(e.workerSid, channel.uniqueName), channelFacts(channel));
      return out.done();
    }
    case 'WorkerChannelAdded': {
      const e = event.data;
      out.fact(subjectKeys.channel(e.workerSid, e.channel.uniqueName), channelFacts(e.channel));
      return out.done();
    }
    case 'WorkerActivityChanged': {
      const e = event.data;
      out.add('worker.activity.update', ['worker', e.workerSid], api, { worker: e.workerSid }, {
        worker_sid: e.workerSid, ...workerActivity(e.activity), worker_previous_activity_sid: e.previousActivity.sid,
        worker_previous_activity_name: e.previousActivity.name,
      });
      out.fact(e.workerSid, { ...workerActivity(e.activity), [INTERNAL.activitySinceMs]: Date.parse(e.at) });
      return out.done();
    }
    case 'WorkerUpdated': {
      const e = event.data;
      const patch: Record<string, unknown> = {};
      if (e.friendlyName != null) patch.worker_name = e.friendlyName;
      if (e.attributes) patch.worker_attributes = e.attributes;
      // A new friendly name alone has no §10.2 type.
      if (e.attributes) out.add('worker.attributes.update', ['worker', e.workerSid], api, { worker: e.workerSid }, { worker_sid: e.workerSid, ...patch });
      if (Object.keys(patch).length > 0) out.fact(e.workerSid, patch);
      return out.done();
    }
    case 'WorkerChannelUpdated': {
      const e = event.data;
      const channel = subjectKeys.channel(e.workerSid, e.uniqueName);
      const subjects = { worker: e.workerSid, other: channel };
      const base = { worker_sid: e.workerSid, task_channel_unique_name: e.uniqueName };
      const available = e.available != null ? { worker_channel_available: e.available } : {};
      if (e.capacity != null) out.add('worker.capacity.update', ['worker', e.workerSid], api, subjects, { ...base, ...available, [INTERNAL.newCapacity]: e.capacity });
      if (e.available != null) {
        const capacity = e.capacity != null ? { [INTERNAL.capacity]: e.capacity } : {};
        out.add('worker.channel.availability.update', ['worker', e.workerSid], api, subjects, { ...base, ...available, ...capacity });
      }
      const patch = { ...available, ...(e.capacity != null ? { [INTERNAL.capacity]: e.capacity } : {}) };
      if (Object.keys(patch).length > 0) out.fact(channel, patch);
      return out.done();
    }
    case 'WorkerDeleted': {
      const e = event.data;
      out.add('worker.deleted', ['worker', e.workerSid], api, { worker: e.workerSid }, { worker_sid: e.workerSid });
      return out.done();
    }
    case 'WorkerReserved': case 'WorkerReservationAccepted': case 'WorkerReservationEnded':
      // The reservation's Events come from the task's stream, where the reservation lives.
      return NONE;
    case 'TaskCreated': {
      const e = event.data;
      const task = {
        task_sid: e.taskSid, task_attributes: e.attributes, task_priority: e.priority ?? 0, task_assignment_status: 'pending',
        task_queue_sid: null, workflow_sid: e.workflowSid, task_channel_sid: e.taskChannelSid, task_channel_unique_name: e.taskChannelUniqueName,
        [INTERNAL.taskCreatedMs]: Date.parse(e.at), [INTERNAL.workerSid]: null, [INTERNAL.stepEnd]: null,
      };
      out.add('task.created', ['task', e.taskSid], api, {}, task);
      out.add('workflow.entered', ['task', e.taskSid], api, {}, task);
      out.fact(e.taskSid, task);
      return out.done();
    }
    case 'TaskRouted': {
      const e = event.data;
      const task = { task_sid: e.taskSid };
      const routed = { task_queue_sid: e.queueSid, task_priority: e.priority, workflow_sid: e.workflowSid };
      const actor: [ActorType, string] = ['workflow', e.workflowSid];
      out.add('workflow.target-matched', ['task', e.taskSid], actor, { task: e.taskSid }, { ...task, ...routed });
      if (e.previousQueueSid !== e.queueSid) {
        if (e.previousQueueSid !== null) out.add('task-queue.moved', ['task', e.taskSid], actor, { task: e.taskSid }, { ...task, ...routed });
        out.add('task-queue.entered', ['task', e.taskSid], actor, { task: e.taskSid }, { ...task, ...routed });
      }
      out.fact(e.taskSid, { ...routed, [INTERNAL.queueEnteredMs]: Date.parse(e.at), [INTERNAL.stepEnd]: null });
      return out.done();
    }
    case 'TaskTargetTimedOut': {
      const e = event.data;
      const reason = e.reason ?? 'timeout';
      // A skipped step is no Event of its own: the next step's target-matched, or workflow.skipped, says it.
      if (reason === 'timeout') out.add('task-queue.timeout', ['task', e.taskSid], workflow, { task: e.taskSid }, { task_sid: e.taskSid });
      out.fact(e.taskSid, { [INTERNAL.stepEnd]: reason });
      return out.done();
    }
    case 'TaskReserved': {
      const e = event.data;
      out.add('reservation.created', ['reservation', e.reservationSid], workflow, { task: e.taskSid, worker: e.workerSid }, {
        task_sid: e.taskSid, task_assignment_status: 'reserved', reservation_sid: e.reservationSid, worker_sid: e.workerSid,
        worker_name: e.workerName, task_queue_sid: e.queueSid,
      });
      out.fact(e.taskSid, { task_assignment_status: 'reserved', [INTERNAL.workerSid]: e.workerSid });
      return out.done();
    }
    case 'ReservationAccepted': {
      const e = event.data;
      out.add('reservation.accepted', ['reservation', e.reservationSid], api, { task: e.taskSid, worker: e.workerSid }, {
        task_sid: e.taskSid, task_assignment_status: 'assigned', reservation_sid: e.reservationSid, worker_sid: e.workerSid,
      });
      out.fact(e.taskSid, { task_assignment_status: 'assigned' });
      return out.done();
    }
    case 'ReservationRejected': case 'ReservationTimedOut': case 'ReservationCanceled': {
      const e = event.data;
      const type = event.type === 'ReservationRejected' ? 'reservation.rejected' : event.type === 'ReservationTimedOut' ? 'reservation.timeout' : 'reservation.canceled';
      const actor = event.type === 'ReservationRejected' ? api : workflow;
      out.add(type, ['reservation', e.reservationSid], actor, { task: e.taskSid, worker: e.workerSid }, {
        task_sid: e.taskSid, task_assignment_status: 'pending', reservation_sid: e.reservationSid, worker_sid: e.workerSid,
      });
      out.fact(e.taskSid, { task_assignment_status: 'pending', [INTERNAL.workerSid]: null });
      return out.done();
    }
    case 'TaskWrappingUp': {
      const e = event.data;
      const wrapping = { task_sid: e.taskSid, task_assignment_status: 'wrapping' };
      out.add('task.wrapup', ['task', e.taskSid], api, { task: e.taskSid }, wrapping);
      if (e.reservationSid) {
        out.add('reservation.wrapup', ['reservation', e.reservationSid], api, { task: e.taskSid, workerOfTask: true }, { ...wrapping, reservation_sid: e.reservationSid });
      }
      out.fact(e.taskSid, { task_assignment_status: 'wrapping' });
      return out.done();
    }
    case 'TaskCompleted': {
      const e = event.data;
      const completed = { task_sid: e.taskSid, task_assignment_status: 'completed', task_completed_reason: e.reason };
      out.add('task.completed', ['task', e.taskSid], api, { task: e.taskSid }, completed);
      if (e.reservationSid) {
        out.add('reservation.completed', ['reservation', e.reservationSid], api, { task: e.taskSid, worker: e.workerSid || undefined, workerOfTask: !e.workerSid }, {
          ...completed, reservation_sid: e.reservationSid, ...(e.workerSid ? { worker_sid: e.workerSid } : {}),
        });
      }
      out.fact(e.taskSid, { task_assignment_status: 'completed', [INTERNAL.workerSid]: null });
      return out.done();
    }
    case 'TaskCanceled': {
      const e = event.data;
      const canceled = { task_sid: e.taskSid, task_assignment_status: 'canceled', task_canceled_reason: e.reason };
      const actor = e.cause === 'api' || e.cause === 'ttl' ? api : workflow;
      if (e.reservationSid) {
        out.add('reservation.canceled', ['reservation', e.reservationSid], actor, { task: e.taskSid, ...(e.workerSid ? { worker: e.workerSid } : { workerOfTask: true }) }, {
          ...canceled, reservation_sid: e.reservationSid, ...(e.workerSid ? { worker_sid: e.workerSid } : {}),
        });
      }
      // Falling off the workflow's last step: workflow.skipped when a skip_if ended that step, else workflow.timeout (the task's facts say which).
      if (e.cause === 'workflow-timeout') out.add('workflow.timeout', ['task', e.taskSid], workflow, { task: e.taskSid }, { task_sid: e.taskSid });
      out.add('task.canceled', ['task', e.taskSid], actor, { task: e.taskSid }, canceled);
      out.fact(e.taskSid, { task_assignment_status: 'canceled', [INTERNAL.workerSid]: null });
      return out.done();
    }
    case 'TaskUpdated': {
      const e = event.data;
      const patch: Record<string, unknown> = {};
      if (e.attributes) patch.task_attributes = e.attributes;
      if (e.priority != null) patch.task_priority = e.priority;
      out.add('task.updated', ['task', e.taskSid], api, { task: e.taskSid }, { task_sid: e.taskSid, ...patch });
      if (Object.keys(patch).length > 0) out.fact(e.taskSid, patch);
      return out.done();
    }
  }
}
