import type { AnyDomainEvent } from '@taskrouter/domain';
import { prepared, type StoredEvent, type Transaction } from '@taskrouter/event-store';

/** How a reservation's answer shows: the reservation's status, then the task's. */
const RESERVATION_OUTCOMES = {
  ReservationAccepted: ['accepted', 'assigned'],
  ReservationRejected: ['rejected', 'pending'],
  ReservationTimedOut: ['timeout', 'pending'],
  ReservationCanceled: ['canceled', 'pending'],
} as const;

/**
 * Keeps the current-state tables in step with the log. Runs inside the append's transaction,
 * so a read right after a write sees it; replay runs the same code over the whole log.
 */
export class ReadModelProjector {
  constructor(private readonly schema: string) {}

  readonly project = async (tx: Transaction, events: StoredEvent[]): Promise<void> => {
    for (const stored of events) await this.apply(tx, { type: stored.type, data: stored.data } as AnyDomainEvent, stored);
  };

  private table(name: string): string {
    return `"${this.schema}".${name}`;
  }

  private async apply(tx: Transaction, event: AnyDomainEvent, stored: StoredEvent): Promise<void> {
    const q = (sql: string, params: unknown[]) => tx.query(prepared(sql, params));
    const version = stored.streamVersion;
    switch (event.type) {
      case 'WorkspaceCreated': {
        const d = event.data;
        await q(`INSERT INTO ${this.table('rm_workspaces')} (sid, account_sid, friendly_name, default_activity_sid, timeout_activity_sid, event_callback_url, events_filter, multi_task_enabled, prioritize_queue_order, date_created, date_updated)
                 VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$10)`,
          [d.workspaceSid, d.accountSid, d.friendlyName, d.defaultActivitySid, d.timeoutActivitySid, d.eventCallbackUrl, d.eventsFilter, d.multiTaskEnabled, d.prioritizeQueueOrder, d.at]);
        return;
      }
      case 'WorkspaceUpdated': {
        const c = event.data.changes;
        await q(`UPDATE ${this.table('rm_workspaces')} SET friendly_name = coalesce($2, friendly_name), default_activity_sid = coalesce($3, default_activity_sid),
                   timeout_activity_sid = coalesce($4, timeout_activity_sid), event_callback_url = CASE WHEN $5 THEN $6 ELSE event_callback_url END,
                   events_filter = CASE WHEN $7 THEN $8 ELSE events_filter END, multi_task_enabled = coalesce($9, multi_task_enabled),
                   prioritize_queue_order = coalesce($10, prioritize_queue_order), date_updated = $11 WHERE sid = $1`,
          [event.data.workspaceSid, c.friendlyName ?? null, c.defaultActivitySid ?? null, c.timeoutActivitySid ?? null, 'eventCallbackUrl' in c, c.eventCallbackUrl ?? null,
           'eventsFilter' in c, c.eventsFilter ?? null, c.multiTaskEnabled ?? null, c.prioritizeQueueOrder ?? null, event.data.at]);
        return;
      }
      case 'ActivityCreated': {
        const d = event.data;
        await q(`INSERT INTO ${this.table('rm_activities')} (sid, workspace_sid, friendly_name, available, date_created, date_updated) VALUES ($1,$2,$3,$4,$5,$5)`,
          [d.activitySid, d.workspaceSid, d.friendlyName, d.available, d.at]);
        return;
      }
      case 'TaskChannelCreated': {
        const d = event.data;
        await q(`INSERT INTO ${this.table('rm_task_channels')} (sid, workspace_sid, unique_name, friendly_name, channel_optimized_routing, date_created, date_updated) VALUES ($1,$2,$3,$4,$5,$6,$6)`,
          [d.taskChannelSid, d.workspaceSid, d.uniqueName, d.friendlyName, d.channelOptimizedRouting, d.at]);
        return;
      }
      case 'TaskQueueCreated': {
        const d = event.data;
        await q(`INSERT INTO ${this.table('rm_task_queues')} (sid, workspace_sid, friendly_name, target_workers, max_reserved_workers, task_order, reservation_activity_sid, assignment_activity_sid, date_created, date_updated)
                 VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$9)`,
          [d.taskQueueSid, d.workspaceSid, d.friendlyName, d.targetWorkers, d.maxReservedWorkers, d.taskOrder, d.reservationActivitySid, d.assignmentActivitySid, d.at]);
        return;
      }
      case 'TaskQueueUpdated': {
        const c = event.data.changes;
        await q(`UPDATE ${this.table('rm_task_queues')} SET friendly_name = coalesce($2, friendly_name), target_workers = CASE WHEN $3 THEN $4 ELSE target_workers END,
                   max_reserved_workers = coalesce($5, max_reserved_workers), task_order = coalesce($6, task_order),
                   reservation_activity_sid = CASE WHEN $7 THEN $8 ELSE reservation_activity_sid END,
                   assignment_activity_sid = CASE WHEN $9 THEN $10 ELSE assignment_activity_sid END, date_updated = $11 WHERE sid = $1`,
          [event.data.taskQueueSid, c.friendlyName ?? null, 'targetWorkers' in c, c.targetWorkers ?? null, c.maxReservedWorkers ?? null, c.taskOrder ?? null,
           'reservationActivitySid' in c, c.reservationActivitySid ?? null, 'assignmentActivitySid' in c, c.assignmentActivitySid ?? null, event.data.at]);
        return;
      }
      case 'TaskQueueDeleted':
        await q(`DELETE FROM ${this.table('rm_task_queues')} WHERE sid = $1`, [event.data.taskQueueSid]);
        return;
      case 'WorkflowCreated': {
        const d = event.data;
        await q(`INSERT INTO ${this.table('rm_workflows')} (sid, workspace_sid, friendly_name, configuration, task_reservation_timeout, assignment_callback_url, fallback_assignment_callback_url, date_created, date_updated)
                 VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$8)`,
          [d.workflowSid, d.workspaceSid, d.friendlyName, d.configuration, d.taskReservationTimeout, d.assignmentCallbackUrl, d.fallbackAssignmentCallbackUrl, d.at]);
        return;
      }
      case 'WorkflowUpdated': {
        const c = event.data.changes;
        await q(`UPDATE ${this.table('rm_workflows')} SET friendly_name = coalesce($2, friendly_name), configuration = coalesce($3, configuration),
                   task_reservation_timeout = coalesce($4, task_reservation_timeout),
                   assignment_callback_url = CASE WHEN $5 THEN $6 ELSE assignment_callback_url END,
                   fallback_assignment_callback_url = CASE WHEN $7 THEN $8 ELSE fallback_assignment_callback_url END, date_updated = $9 WHERE sid = $1`,
          [event.data.workflowSid, c.friendlyName ?? null, c.configuration ?? null, c.taskReservationTimeout ?? null, 'assignmentCallbackUrl' in c, c.assignmentCallbackUrl ?? null,
           'fallbackAssignmentCallbackUrl' in c, c.fallbackAssignmentCallbackUrl ?? null, event.data.at]);
        return;
      }
      case 'WorkflowDeleted':
        await q(`DELETE FROM ${this.table('rm_workflows')} WHERE sid = $1`, [event.data.workflowSid]);
        return;
      case 'WorkerCreated': {
        const d = event.data;
        await q(`INSERT INTO ${this.table('rm_workers')} (sid, workspace_sid, friendly_name, attributes, activity_sid, activity_name, available, date_created, date_updated, date_status_changed, version)
                 VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$8,$8,$9)`,
          [d.workerSid, d.workspaceSid, d.friendlyName, JSON.stringify(d.attributes), d.activity.sid, d.activity.name, d.activity.available, d.at, version]);
        for (const channel of d.channels) {
          await this.insertWorkerChannel(tx, d.workspaceSid, d.workerSid, channel, d.at);
        }
        return;
      }
      case 'WorkerChannelAdded':
        await this.insertWorkerChannel(tx, event.data.workspaceSid, event.data.workerSid, event.data.channel, event.data.at);
        await this.touchWorker(tx, event.data.workerSid, event.data.at, version);
        return;
      case 'WorkerActivityChanged': {
        const d = event.data;
        await q(`UPDATE ${this.table('rm_workers')} SET activity_sid = $2, activity_name = $3, available = $4, date_status_changed = $5, date_updated = $5, version = $6 WHERE sid = $1`,
          [d.workerSid, d.activity.sid, d.activity.name, d.activity.available, d.at, version]);
        return;
      }
      case 'WorkerUpdated': {
        const d = event.data;
        await q(`UPDATE ${this.table('rm_workers')} SET friendly_name = coalesce($2, friendly_name), attributes = coalesce($3::jsonb, attributes), date_updated = $4, version = $5 WHERE sid = $1`,
          [d.workerSid, d.friendlyName ?? null, d.attributes ? JSON.stringify(d.attributes) : null, d.at, version]);
        return;
      }
      case 'WorkerChannelUpdated': {
        const d = event.data;
        await q(`UPDATE ${this.table('rm_worker_channels')} SET configured_capacity = coalesce($3, configured_capacity), available = coalesce($4, available), date_updated = $5
                 WHERE worker_sid = $1 AND task_channel_unique_name = $2`, [d.workerSid, d.uniqueName, d.capacity ?? null, d.available ?? null, d.at]);
        await this.touchWorker(tx, d.workerSid, d.at, version);
        return;
      }
      case 'WorkerReserved':
        await q(`UPDATE ${this.table('rm_worker_channels')} SET reserved = reserved + 1, date_updated = $3 WHERE worker_sid = $1 AND task_channel_unique_name = $2`,
          [event.data.workerSid, event.data.channel, event.data.at]);
        await this.touchWorker(tx, event.data.workerSid, event.data.at, version);
        return;
      case 'WorkerReservationAccepted':
        await q(`UPDATE ${this.table('rm_worker_channels')} wc SET assigned_tasks = assigned_tasks + 1, date_updated = $3
                 FROM ${this.table('rm_reservations')} r JOIN ${this.table('rm_tasks')} t ON t.sid = r.task_sid
                 WHERE r.sid = $2 AND wc.worker_sid = $1 AND wc.task_channel_unique_name = t.task_channel_unique_name`,
          [event.data.workerSid, event.data.reservationSid, event.data.at]);
        await this.touchWorker(tx, event.data.workerSid, event.data.at, version);
        return;
      case 'WorkerReservationEnded': {
        const d = event.data;
        await q(`UPDATE ${this.table('rm_worker_channels')} SET reserved = greatest(reserved - 1, 0),
                   assigned_tasks = CASE WHEN $3 THEN greatest(assigned_tasks - 1, 0) ELSE assigned_tasks END, date_updated = $4
                 WHERE worker_sid = $1 AND task_channel_unique_name = $2`, [d.workerSid, d.channel, d.outcome === 'completed', d.at]);
        await this.touchWorker(tx, d.workerSid, d.at, version);
        return;
      }
      case 'WorkerDeleted':
        await q(`DELETE FROM ${this.table('rm_worker_channels')} WHERE worker_sid = $1`, [event.data.workerSid]);
        await q(`DELETE FROM ${this.table('rm_workers')} WHERE sid = $1`, [event.data.workerSid]);
        return;
      case 'TaskCreated': {
        const d = event.data;
        await q(`INSERT INTO ${this.table('rm_tasks')} (sid, workspace_sid, workflow_sid, attributes, assignment_status, priority, task_channel_sid, task_channel_unique_name, timeout, date_created, date_updated, version)
                 VALUES ($1,$2,$3,$4,'pending',$5,$6,$7,$8,$9,$9,$10)`,
          [d.taskSid, d.workspaceSid, d.workflowSid, JSON.stringify(d.attributes), d.priority ?? 0, d.taskChannelSid, d.taskChannelUniqueName, d.timeout, d.at, version]);
        return;
      }
      case 'TaskRouted': {
        const d = event.data;
        await q(`UPDATE ${this.table('rm_tasks')} SET task_queue_sid = $2, task_queue_entered_date = $3, priority = $4, routing_explanation = $5, date_updated = $3, version = $6 WHERE sid = $1`,
          [d.taskSid, d.queueSid, d.at, d.priority, JSON.stringify({ step: d.step, filterName: d.filterName, explanation: d.explanation }), version]);
        return;
      }
      case 'TaskReserved': {
        const d = event.data;
        await q(`INSERT INTO ${this.table('rm_reservations')} (sid, workspace_sid, task_sid, worker_sid, worker_name, reservation_status, date_created, date_updated) VALUES ($1,$2,$3,$4,$5,'pending',$6,$6)`,
          [d.reservationSid, d.workspaceSid, d.taskSid, d.workerSid, d.workerName, d.at]);
        await this.setTaskStatus(tx, d.taskSid, 'reserved', d.at, version);
        return;
      }
      case 'ReservationAccepted':
      case 'ReservationRejected':
      case 'ReservationTimedOut':
      case 'ReservationCanceled': {
        const [reservationStatus, taskStatus] = RESERVATION_OUTCOMES[event.type];
        await this.setReservationStatus(tx, event.data.reservationSid, reservationStatus, event.data.at);
        await this.setTaskStatus(tx, event.data.taskSid, taskStatus, event.data.at, version);
        return;
      }
      case 'TaskTargetTimedOut':
        await q(`UPDATE ${this.table('rm_tasks')} SET version = $2 WHERE sid = $1`, [event.data.taskSid, version]);
        return;
      case 'TaskWrappingUp':
        await this.setReservationStatus(tx, event.data.reservationSid, 'wrapping', event.data.at);
        await this.setTaskStatus(tx, event.data.taskSid, 'wrapping', event.data.at, version, event.data.reason);
        return;
      case 'TaskCompleted':
        await this.setReservationStatus(tx, event.data.reservationSid, 'completed', event.data.at);
        await this.setTaskStatus(tx, event.data.taskSid, 'completed', event.data.at, version, event.data.reason);
        return;
      case 'TaskCanceled':
        if (event.data.reservationSid) await this.setReservationStatus(tx, event.data.reservationSid, 'canceled', event.data.at);
        await this.setTaskStatus(tx, event.data.taskSid, 'canceled', event.data.at, version, event.data.reason);
        return;
      case 'TaskUpdated': {
        const d = event.data;
        await q(`UPDATE ${this.table('rm_tasks')} SET attributes = coalesce($2::jsonb, attributes), priority = coalesce($3, priority), date_updated = $4, version = $5 WHERE sid = $1`,
          [d.taskSid, d.attributes ? JSON.stringify(d.attributes) : null, d.priority ?? null, d.at, version]);
        return;
      }
      default:
        // An event type this read model does not show: nothing to project.
        return;
    }
  }

  private async insertWorkerChannel(tx: Transaction, workspaceSid: string, workerSid: string, channel: { workerChannelSid: string; taskChannelSid: string; uniqueName: string; capacity: number; available: boolean }, at: string) {
    await tx.query(prepared(`INSERT INTO ${this.table('rm_worker_channels')} (sid, workspace_sid, worker_sid, task_channel_sid, task_channel_unique_name, configured_capacity, available, date_created, date_updated)
                    VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$8)`,
      [channel.workerChannelSid, workspaceSid, workerSid, channel.taskChannelSid, channel.uniqueName, channel.capacity, channel.available, at]));
  }

  private async touchWorker(tx: Transaction, workerSid: string, at: string, version: number) {
    await tx.query(prepared(`UPDATE ${this.table('rm_workers')} SET date_updated = $2, version = $3 WHERE sid = $1`, [workerSid, at, version]));
  }

  private async setTaskStatus(tx: Transaction, taskSid: string, status: string, at: string, version: number, reason?: string | null) {
    await tx.query(prepared(`UPDATE ${this.table('rm_tasks')} SET assignment_status = $2, date_updated = $3, version = $4, reason = coalesce($5, reason) WHERE sid = $1`,
      [taskSid, status, at, version, reason ?? null]));
  }

  private async setReservationStatus(tx: Transaction, reservationSid: string, status: string, at: string) {
    if (!reservationSid) return;
    await tx.query(prepared(`UPDATE ${this.table('rm_reservations')} SET reservation_status = $2, date_updated = $3 WHERE sid = $1`, [reservationSid, status, at]));
  }
}
