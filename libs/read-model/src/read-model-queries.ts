import type {
  ActivityView, ReservationView, TaskChannelView, TaskQueueView, TaskView, WorkerChannelView, WorkerView, WorkflowView, WorkspaceView,
} from '@taskrouter/contract';
import { prepared } from '@taskrouter/event-store';
import type { Pool } from 'pg';
import { EventQueries } from './event-queries';

export interface Slice { readonly offset: number; readonly limit: number }

const iso = (value: Date | string | null): string | null => (value === null ? null : new Date(value).toISOString());
/** A timestamp column that is NOT NULL in the schema. */
const isoOf = (value: Date | string): string => new Date(value).toISOString();

/** Reads the current-state tables as the API's views. Lists return `limit` rows at most. */
export class ReadModelQueries {
  private eventQueries?: EventQueries;

  constructor(private readonly pool: Pool, private readonly schema: string) {}

  /** The Events resource's reads (event-queries.ts). */
  get events(): EventQueries {
    return (this.eventQueries ??= new EventQueries(this.pool, this.schema));
  }

  private t(name: string): string {
    return `"${this.schema}".${name}`;
  }

  private async rows<R>(sql: string, params: unknown[]): Promise<R[]> {
    return (await this.pool.query(prepared(sql, params))).rows as R[];
  }

  private workspaceSelect(): string {
    return `SELECT w.*, da.friendly_name AS default_activity_name, ta.friendly_name AS timeout_activity_name FROM ${this.t('rm_workspaces')} w
            LEFT JOIN ${this.t('rm_activities')} da ON da.sid = w.default_activity_sid LEFT JOIN ${this.t('rm_activities')} ta ON ta.sid = w.timeout_activity_sid`;
  }

  async workspace(sid: string): Promise<WorkspaceView | null> {
    const [row] = await this.rows<any>(`${this.workspaceSelect()} WHERE w.sid = $1`, [sid]);
    return row ? toWorkspace(row) : null;
  }

  async workspaces(filter: { accountSid: string; friendlyName?: string }, slice: Slice): Promise<WorkspaceView[]> {
    const rows = await this.rows<any>(`${this.workspaceSelect()} WHERE w.account_sid = $4 AND ($1::text IS NULL OR w.friendly_name = $1) ORDER BY w.date_created, w.sid OFFSET $2 LIMIT $3`,
      [filter.friendlyName ?? null, slice.offset, slice.limit, filter.accountSid]);
    return rows.map(toWorkspace);
  }

  /** Every workspace, for start-up resynchronisation and replay. */
  async allWorkspaceSids(): Promise<string[]> {
    return (await this.rows<{ sid: string }>(`SELECT sid FROM ${this.t('rm_workspaces')} ORDER BY sid`, [])).map((r) => r.sid);
  }

  async activities(workspaceSid: string, filter: { friendlyName?: string; available?: boolean }, slice: Slice): Promise<ActivityView[]> {
    const rows = await this.rows<any>(`SELECT a.*, w.account_sid FROM ${this.t('rm_activities')} a JOIN ${this.t('rm_workspaces')} w ON w.sid = a.workspace_sid
       WHERE a.workspace_sid = $1 AND ($2::text IS NULL OR a.friendly_name = $2) AND ($3::boolean IS NULL OR a.available = $3)
       ORDER BY a.date_created, a.sid OFFSET $4 LIMIT $5`, [workspaceSid, filter.friendlyName ?? null, filter.available ?? null, slice.offset, slice.limit]);
    return rows.map(toActivity);
  }

  async activity(workspaceSid: string, sid: string): Promise<ActivityView | null> {
    const [row] = await this.rows<any>(`SELECT a.*, w.account_sid FROM ${this.t('rm_activities')} a JOIN ${this.t('rm_workspaces')} w ON w.sid = a.workspace_sid WHERE a.workspace_sid = $1 AND a.sid = $2`, [workspaceSid, sid]);
    return row ? toActivity(row) : null;
  }

  async taskChannels(workspaceSid: string, slice: Slice): Promise<TaskChannelView[]> {
    const rows = await this.rows<any>(`SELECT c.*, w.account_sid FROM ${this.t('rm_task_channels')} c JOIN ${this.t('rm_workspaces')} w ON w.sid = c.workspace_sid
       WHERE c.workspace_sid = $1 ORDER BY c.date_created, c.sid OFFSET $2 LIMIT $3`, [workspaceSid, slice.offset, slice.limit]);
    return rows.map(toTaskChannel);
  }

  async taskChannel(workspaceSid: string, sidOrName: string): Promise<TaskChannelView | null> {
    const [row] = await this.rows<any>(`SELECT c.*, w.account_sid FROM ${this.t('rm_task_channels')} c JOIN ${this.t('rm_workspaces')} w ON w.sid = c.workspace_sid
       WHERE c.workspace_sid = $1 AND (c.sid = $2 OR c.unique_name = $2)`, [workspaceSid, sidOrName]);
    return row ? toTaskChannel(row) : null;
  }

  private queueSelect(): string {
    return `SELECT q.*, w.account_sid, ra.friendly_name AS reservation_activity_name, aa.friendly_name AS assignment_activity_name
            FROM ${this.t('rm_task_queues')} q JOIN ${this.t('rm_workspaces')} w ON w.sid = q.workspace_sid
            LEFT JOIN ${this.t('rm_activities')} ra ON ra.sid = q.reservation_activity_sid LEFT JOIN ${this.t('rm_activities')} aa ON aa.sid = q.assignment_activity_sid`;
  }

  async taskQueues(workspaceSid: string, filter: { friendlyName?: string }, slice: Slice): Promise<TaskQueueView[]> {
    const rows = await this.rows<any>(`${this.queueSelect()} WHERE q.workspace_sid = $1 AND ($2::text IS NULL OR q.friendly_name = $2) ORDER BY q.date_created, q.sid OFFSET $3 LIMIT $4`,
      [workspaceSid, filter.friendlyName ?? null, slice.offset, slice.limit]);
    return rows.map(toTaskQueue);
  }

  async taskQueue(workspaceSid: string, sid: string): Promise<TaskQueueView | null> {
    const [row] = await this.rows<any>(`${this.queueSelect()} WHERE q.workspace_sid = $1 AND q.sid = $2`, [workspaceSid, sid]);
    return row ? toTaskQueue(row) : null;
  }

  /** The workspace's queues among `sids`, in no particular order; SIDs of no queue of the workspace are left out. */
  async taskQueuesBySid(workspaceSid: string, sids: readonly string[]): Promise<TaskQueueView[]> {
    if (sids.length === 0) return [];
    return (await this.rows<any>(`${this.queueSelect()} WHERE q.workspace_sid = $1 AND q.sid = ANY($2::text[])`, [workspaceSid, sids])).map(toTaskQueue);
  }

  async taskQueueSids(workspaceSid: string): Promise<Set<string>> {
    const rows = await this.rows<{ sid: string }>(`SELECT sid FROM ${this.t('rm_task_queues')} WHERE workspace_sid = $1`, [workspaceSid]);
    return new Set(rows.map((row) => row.sid));
  }

  private workflowSelect(): string {
    return `SELECT f.*, w.account_sid FROM ${this.t('rm_workflows')} f JOIN ${this.t('rm_workspaces')} w ON w.sid = f.workspace_sid`;
  }

  async workflows(workspaceSid: string, filter: { friendlyName?: string }, slice: Slice): Promise<WorkflowView[]> {
    const rows = await this.rows<any>(`${this.workflowSelect()} WHERE f.workspace_sid = $1 AND ($2::text IS NULL OR f.friendly_name = $2) ORDER BY f.date_created, f.sid OFFSET $3 LIMIT $4`,
      [workspaceSid, filter.friendlyName ?? null, slice.offset, slice.limit]);
    return rows.map(toWorkflow);
  }

  async workflow(workspaceSid: string, sid: string): Promise<WorkflowView | null> {
    const [row] = await this.rows<any>(`${this.workflowSelect()} WHERE f.workspace_sid = $1 AND f.sid = $2`, [workspaceSid, sid]);
    return row ? toWorkflow(row) : null;
  }

  private workerSelect(): string {
    return `SELECT k.*, w.account_sid FROM ${this.t('rm_workers')} k JOIN ${this.t('rm_workspaces')} w ON w.sid = k.workspace_sid`;
  }

  async workers(workspaceSid: string, filter: { friendlyName?: string; activitySid?: string; activityName?: string; available?: boolean }, slice: Slice): Promise<WorkerView[]> {
    const rows = await this.rows<any>(`${this.workerSelect()} WHERE k.workspace_sid = $1 AND ($2::text IS NULL OR lower(k.friendly_name) = lower($2))
       AND ($3::text IS NULL OR k.activity_sid = $3) AND ($4::text IS NULL OR k.activity_name = $4) AND ($5::boolean IS NULL OR k.available = $5)
       ORDER BY k.date_created, k.sid OFFSET $6 LIMIT $7`,
      [workspaceSid, filter.friendlyName ?? null, filter.activitySid ?? null, filter.activityName ?? null, filter.available ?? null, slice.offset, slice.limit]);
    return rows.map(toWorker);
  }

  async worker(workspaceSid: string, sid: string): Promise<WorkerView | null> {
    const [row] = await this.rows<any>(`${this.workerSelect()} WHERE k.workspace_sid = $1 AND k.sid = $2`, [workspaceSid, sid]);
    return row ? toWorker(row) : null;
  }

  async workersBySid(workspaceSid: string, sids: readonly string[]): Promise<WorkerView[]> {
    if (sids.length === 0) return [];
    const rows = await this.rows<any>(`${this.workerSelect()} WHERE k.workspace_sid = $1 AND k.sid = ANY($2)`, [workspaceSid, sids]);
    return rows.map(toWorker);
  }

  async workerFriendlyNameTaken(workspaceSid: string, friendlyName: string, exceptSid?: string): Promise<boolean> {
    const rows = await this.rows(`SELECT 1 FROM ${this.t('rm_workers')} WHERE workspace_sid = $1 AND lower(friendly_name) = lower($2) AND sid <> coalesce($3, '')`,
      [workspaceSid, friendlyName, exceptSid ?? null]);
    return rows.length > 0;
  }

  async workerChannels(workspaceSid: string, workerSid: string): Promise<WorkerChannelView[]> {
    const rows = await this.rows<any>(`SELECT c.*, w.account_sid FROM ${this.t('rm_worker_channels')} c JOIN ${this.t('rm_workspaces')} w ON w.sid = c.workspace_sid
       WHERE c.workspace_sid = $1 AND c.worker_sid = $2 ORDER BY c.date_created, c.sid`, [workspaceSid, workerSid]);
    return rows.map(toWorkerChannel);
  }

  private taskSelect(): string {
    return `SELECT t.*, w.account_sid, f.friendly_name AS workflow_friendly_name, q.friendly_name AS task_queue_friendly_name
            FROM ${this.t('rm_tasks')} t JOIN ${this.t('rm_workspaces')} w ON w.sid = t.workspace_sid
            LEFT JOIN ${this.t('rm_workflows')} f ON f.sid = t.workflow_sid LEFT JOIN ${this.t('rm_task_queues')} q ON q.sid = t.task_queue_sid`;
  }

  async tasks(workspaceSid: string, filter: { assignmentStatus?: string[]; workflowSid?: string; taskQueueSid?: string; priority?: number }, slice: Slice): Promise<TaskView[]> {
    const statuses = filter.assignmentStatus && filter.assignmentStatus.length > 0 ? filter.assignmentStatus : null;
    const rows = await this.rows<any>(`${this.taskSelect()} WHERE t.workspace_sid = $1 AND ($2::text[] IS NULL OR t.assignment_status = ANY($2))
       AND ($3::text IS NULL OR t.workflow_sid = $3) AND ($4::text IS NULL OR t.task_queue_sid = $4) AND ($5::int IS NULL OR t.priority = $5)
       ORDER BY t.date_created, t.sid OFFSET $6 LIMIT $7`,
      [workspaceSid, statuses, filter.workflowSid ?? null, filter.taskQueueSid ?? null, filter.priority ?? null, slice.offset, slice.limit]);
    return rows.map(toTask);
  }

  async task(workspaceSid: string, sid: string): Promise<TaskView | null> {
    const [row] = await this.rows<any>(`${this.taskSelect()} WHERE t.workspace_sid = $1 AND t.sid = $2`, [workspaceSid, sid]);
    return row ? toTask(row) : null;
  }

  async reservations(workspaceSid: string, filter: { taskSid?: string; workerSid?: string; status?: string }, slice: Slice): Promise<ReservationView[]> {
    const rows = await this.rows<any>(`SELECT r.*, w.account_sid FROM ${this.t('rm_reservations')} r JOIN ${this.t('rm_workspaces')} w ON w.sid = r.workspace_sid
       WHERE r.workspace_sid = $1 AND ($2::text IS NULL OR r.task_sid = $2) AND ($3::text IS NULL OR r.worker_sid = $3) AND ($4::text IS NULL OR r.reservation_status = $4)
       ORDER BY r.date_created, r.sid OFFSET $5 LIMIT $6`,
      [workspaceSid, filter.taskSid ?? null, filter.workerSid ?? null, filter.status ?? null, slice.offset, slice.limit]);
    return rows.map(toReservation);
  }

  async reservation(workspaceSid: string, sid: string): Promise<ReservationView | null> {
    const [row] = await this.rows<any>(`SELECT r.*, w.account_sid FROM ${this.t('rm_reservations')} r JOIN ${this.t('rm_workspaces')} w ON w.sid = r.workspace_sid
       WHERE r.workspace_sid = $1 AND r.sid = $2`, [workspaceSid, sid]);
    return row ? toReservation(row) : null;
  }
}

function toWorkspace(r: any): WorkspaceView {
  return {
    sid: r.sid, accountSid: r.account_sid, friendlyName: r.friendly_name, defaultActivitySid: r.default_activity_sid, defaultActivityName: r.default_activity_name,
    timeoutActivitySid: r.timeout_activity_sid, timeoutActivityName: r.timeout_activity_name, eventCallbackUrl: r.event_callback_url, eventsFilter: r.events_filter,
    multiTaskEnabled: r.multi_task_enabled, prioritizeQueueOrder: r.prioritize_queue_order, dateCreated: isoOf(r.date_created), dateUpdated: isoOf(r.date_updated),
  };
}
function toActivity(r: any): ActivityView {
  return { sid: r.sid, accountSid: r.account_sid, workspaceSid: r.workspace_sid, friendlyName: r.friendly_name, available: r.available, dateCreated: isoOf(r.date_created), dateUpdated: isoOf(r.date_updated) };
}
function toTaskChannel(r: any): TaskChannelView {
  return {
    sid: r.sid, accountSid: r.account_sid, workspaceSid: r.workspace_sid, uniqueName: r.unique_name, friendlyName: r.friendly_name,
    channelOptimizedRouting: r.channel_optimized_routing, dateCreated: isoOf(r.date_created), dateUpdated: isoOf(r.date_updated),
  };
}
function toTaskQueue(r: any): TaskQueueView {
  return {
    sid: r.sid, accountSid: r.account_sid, workspaceSid: r.workspace_sid, friendlyName: r.friendly_name, targetWorkers: r.target_workers,
    maxReservedWorkers: r.max_reserved_workers, taskOrder: r.task_order, reservationActivitySid: r.reservation_activity_sid,
    reservationActivityName: r.reservation_activity_name ?? null, assignmentActivitySid: r.assignment_activity_sid, assignmentActivityName: r.assignment_activity_name ?? null,
    dateCreated: isoOf(r.date_created), dateUpdated: isoOf(r.date_updated),
  };
}
function toWorkflow(r: any): WorkflowView {
  return {
    sid: r.sid, accountSid: r.account_sid, workspaceSid: r.workspace_sid, friendlyName: r.friendly_name, configuration: r.configuration,
    taskReservationTimeout: r.task_reservation_timeout, assignmentCallbackUrl: r.assignment_callback_url, fallbackAssignmentCallbackUrl: r.fallback_assignment_callback_url,
    dateCreated: isoOf(r.date_created), dateUpdated: isoOf(r.date_updated),
  };
}
function toWorker(r: any): WorkerView {
  return {
    sid: r.sid, accountSid: r.account_sid, workspaceSid: r.workspace_sid, friendlyName: r.friendly_name, attributes: r.attributes,
    activitySid: r.activity_sid, activityName: r.activity_name, available: r.available, dateCreated: isoOf(r.date_created),
    dateUpdated: isoOf(r.date_updated), dateStatusChanged: isoOf(r.date_status_changed), version: r.version,
  };
}
function toWorkerChannel(r: any): WorkerChannelView {
  return {
    sid: r.sid, accountSid: r.account_sid, workspaceSid: r.workspace_sid, workerSid: r.worker_sid, taskChannelSid: r.task_channel_sid,
    taskChannelUniqueName: r.task_channel_unique_name, configuredCapacity: r.configured_capacity, available: r.available,
    assignedTasks: r.assigned_tasks, reserved: r.reserved, dateCreated: isoOf(r.date_created), dateUpdated: isoOf(r.date_updated),
  };
}
function toTask(r: any): TaskView {
  return {
    sid: r.sid, accountSid: r.account_sid, workspaceSid: r.workspace_sid, workflowSid: r.workflow_sid, workflowFriendlyName: r.workflow_friendly_name ?? null,
    attributes: r.attributes, assignmentStatus: r.assignment_status, priority: r.priority, reason: r.reason, taskQueueSid: r.task_queue_sid,
    taskQueueFriendlyName: r.task_queue_friendly_name ?? null, taskQueueEnteredDate: iso(r.task_queue_entered_date), taskChannelSid: r.task_channel_sid,
    taskChannelUniqueName: r.task_channel_unique_name, timeout: r.timeout, dateCreated: isoOf(r.date_created), dateUpdated: isoOf(r.date_updated), version: r.version,
  };
}
function toReservation(r: any): ReservationView {
  return {
    sid: r.sid, accountSid: r.account_sid, workspaceSid: r.workspace_sid, taskSid: r.task_sid, workerSid: r.worker_sid, workerName: r.worker_name,
    reservationStatus: r.reservation_status, dateCreated: isoOf(r.date_created), dateUpdated: isoOf(r.date_updated),
  };
}
