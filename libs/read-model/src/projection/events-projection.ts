import { INTERNAL, taskRouterEventsOf, type AnyDomainEvent, type TaskRouterEventRecord } from '@taskrouter/domain';
import { prepared, type ProjectableEvent } from '@taskrouter/event-store';
import type { QueryConfig } from 'pg';
import { DAY_MS, PruneSchedule } from './prune-schedule';
import type { SideFold, SideProjection } from './side-projection';

/** TaskRouter keeps Events 30 days (reference §10.3). */
export const EVENT_RETENTION_DAYS = 30;

/** Domain event types that give Events or change facts: the worker's side of a reservation does neither. */
const EVENT_TYPES = [
  'WorkspaceCreated', 'WorkspaceUpdated', 'ActivityCreated', 'TaskChannelCreated', 'TaskQueueCreated', 'TaskQueueUpdated', 'TaskQueueDeleted',
  'WorkflowCreated', 'WorkflowUpdated', 'WorkflowDeleted', 'WorkerCreated', 'WorkerChannelAdded', 'WorkerActivityChanged', 'WorkerUpdated',
  'WorkerChannelUpdated', 'WorkerDeleted', 'TaskCreated', 'TaskRouted', 'TaskReserved', 'ReservationAccepted', 'ReservationRejected',
  'ReservationTimedOut', 'ReservationCanceled', 'TaskTargetTimedOut', 'TaskWrappingUp', 'TaskCompleted', 'TaskCanceled', 'TaskUpdated',
] as const;

/** The oldest instant kept once an event of `newestMs`'s UTC day is projected: retention moves a day at a time. */
export function retentionCutoff(newestMs: number): number {
  return Math.floor(newestMs / DAY_MS) * DAY_MS - EVENT_RETENTION_DAYS * DAY_MS;
}

/** The statements of one schema, and where its prunes stand (a process projects one schema, a test several). */
class EventsStatements {
  readonly insertSql: string;
  readonly upsertSql: string;
  readonly pruneSql: string;
  private readonly schedule: PruneSchedule;

  constructor(schema: string, clock: () => number) {
    this.schedule = new PruneSchedule(retentionCutoff, clock);
    const events = `"${schema}".rm_events`;
    const subjects = `"${schema}".rm_event_subjects`;
    // Every OFFSET 0 keeps its subquery from being pulled up: flattened, a subquery's expressions (the facts' lookups,
    // their merge) are inlined at every reference, and ran once per column that reads them, eight times a row.
    this.insertSql = `INSERT INTO ${events} (sid, workspace_sid, event_type, resource_type, resource_sid, actor_type, actor_sid, event_date, event_date_ms,
        stream_version, idx, task_sid, worker_sid, reservation_sid, task_queue_sid, workflow_sid, task_channel, event_data)
      SELECT m.sid, m.workspace_sid,
        CASE WHEN m.event_type = 'workflow.timeout' AND m.d->>'${INTERNAL.stepEnd}' = 'skip_if' THEN 'workflow.skipped' ELSE m.event_type END,
        m.resource_type, m.resource_sid, m.actor_type, coalesce(m.actor_sid, m.d->>'workflow_sid'), m.event_date, m.event_date_ms, m.stream_version, m.idx,
        m.d->>'task_sid', m.d->>'worker_sid', m.d->>'reservation_sid', m.d->>'task_queue_sid', m.d->>'workflow_sid', m.d->>'task_channel_unique_name', m.d
      FROM (
        SELECT r->>0 AS sid, r->>1 AS workspace_sid, r->>2 AS event_type, r->>3 AS resource_type, r->>4 AS resource_sid, r->>5 AS actor_type,
          r->>6 AS actor_sid, (r->>7)::timestamptz AS event_date, (r->>8)::bigint AS event_date_ms, (r->>9)::int AS stream_version, (r->>10)::int AS idx,
          coalesce(t.facts, '{}') || coalesce((SELECT facts FROM ${subjects} WHERE sid = k.worker_sid), '{}') || coalesce(r->16->k.worker_sid, '{}')
            || coalesce((SELECT facts FROM ${subjects} WHERE sid = r->>14), '{}') || (r->15) AS d
        FROM jsonb_array_elements($1::jsonb) AS r
        CROSS JOIN LATERAL (SELECT (SELECT facts FROM ${subjects} WHERE sid = r->>11) AS facts OFFSET 0) t
        CROSS JOIN LATERAL (SELECT coalesce(r->>12, CASE WHEN r->>13 = 'true' THEN t.facts->>'${INTERNAL.workerSid}' END) AS worker_sid OFFSET 0) k
        OFFSET 0
      ) m`;
    this.upsertSql = `INSERT INTO ${subjects} AS f (sid, workspace_sid, facts) SELECT r->>0, r->>1, r->2 FROM jsonb_array_elements($1::jsonb) AS r
      ON CONFLICT (sid) DO UPDATE SET facts = f.facts || EXCLUDED.facts WHERE f.facts || EXCLUDED.facts IS DISTINCT FROM f.facts`;
    this.pruneSql = `DELETE FROM ${events} WHERE event_date < $1::timestamptz`;
  }

  /** Where this batch prunes to, if it does: the first batch of each newer day, and one a minute besides. */
  pruneCutoff(newestMs: number): number | undefined {
    return this.schedule.pruneCutoff(newestMs);
  }
}

/**
 * The TaskRouter Events table (`rm_events`) and the facts its rows are completed from
 * (`rm_event_subjects`, one JSON object per task, worker, worker channel, queue, workflow and
 * workspace), a side projection. Each log event's Events and facts changes come from the domain's
 * pure mapping (taskRouterEventsOf). A row's data is its subjects' facts as they stood before its
 * log event, under its own data: the facts the table held before the batch, under what the batch
 * changed so far (folded here), under the row's data; merged in the insert itself, so an append
 * costs no read. A subject's facts change only by its own stream's events, which every batch cut,
 * live or replayed, sees in the same order: the rows are the same however the log is cut. It
 * reads only its own tables.
 *
 * Retention: rows older than 30 days before the UTC day of the newest event projected are not
 * written and are deleted, once per day and process (and at least once a minute of appends after
 * that), so the table holds the same rows after a replay as live.
 */
export const eventsProjection: SideProjection & { readonly reads: ReadonlySet<string>; forget(schema: string): void } = {
  eventTypes: EVENT_TYPES,
  reads: new Set(EVENT_TYPES),
  fold: (schema) => new EventsFold(statementsOf(schema)),
  /** A schema made anew (a replay's beside): its tables are empty, so no prune it remembers has happened there. */
  forget: (schema) => void bySchema.delete(schema),
};

const bySchema = new Map<string, EventsStatements>();
function statementsOf(schema: string): EventsStatements {
  let statements = bySchema.get(schema);
  if (!statements) bySchema.set(schema, (statements = new EventsStatements(schema, Date.now)));
  return statements;
}

type Patch = Record<string, unknown>;

/** One batch: its Events as rows for the insert, and its facts changes per subject. */
class EventsFold implements SideFold {
  private readonly rows: unknown[][] = [];
  private readonly changed = new Map<string, { workspaceSid: string; patch: Patch }>();
  private newestMs = Number.NEGATIVE_INFINITY;

  constructor(private readonly projection: EventsStatements) {}

  add(stored: ProjectableEvent): void {
    if (!eventsProjection.reads.has(stored.type)) return;
    const { records, facts } = taskRouterEventsOf(stored as unknown as AnyDomainEvent, stored.streamVersion);
    for (const record of records) {
      this.rows.push(this.row(record));
      if (record.eventDateMs > this.newestMs) this.newestMs = record.eventDateMs;
    }
    // Applied after the log event's own Events: they see the facts as they stood before it.
    for (const change of facts) {
      const known = this.changed.get(change.subject);
      if (known) Object.assign(known.patch, change.patch);
      else this.changed.set(change.subject, { workspaceSid: change.workspaceSid, patch: { ...change.patch } });
    }
  }

  /** In insert order: what the batch changed of each subject so far goes with the row; the table's facts are joined in SQL. */
  private row(record: TaskRouterEventRecord): unknown[] {
    const { task, other } = record.subjects;
    const taskPatch = task ? this.changed.get(task)?.patch : undefined;
    let worker = record.subjects.worker;
    let unresolved = false;
    if (worker === undefined && record.subjects.workerOfTask) {
      if (taskPatch && INTERNAL.workerSid in taskPatch) worker = (taskPatch[INTERNAL.workerSid] as string | null) ?? undefined;
      else unresolved = true;
    }
    const overlay = {
      ...taskPatch, ...(worker ? this.changed.get(worker)?.patch : undefined), ...(other ? this.changed.get(other)?.patch : undefined), ...record.data,
    };
    // The task's worker is found in SQL: every worker this batch changed goes along, by SID.
    const workerPatches = unresolved ? Object.fromEntries([...this.changed].filter(([sid]) => sid.startsWith('WK') && !sid.includes('/')).map(([sid, c]) => [sid, { ...c.patch }])) : null;
    return [
      record.sid, record.workspaceSid, record.eventType, record.resourceType, record.resourceSid, record.actorType, record.actorSid || null,
      record.eventDate, record.eventDateMs, record.streamVersion, record.index, task ?? null, worker ?? null, unresolved, other ?? null, overlay, workerPatches,
    ];
  }

  statements(): QueryConfig[] {
    const statements: QueryConfig[] = [];
    if (this.rows.length === 0 && this.changed.size === 0) return statements;
    const cutoff = retentionCutoff(this.newestMs);
    const kept = this.rows.filter((row) => (row[8] as number) >= cutoff);
    if (kept.length > 0) statements.push(prepared(this.projection.insertSql, [JSON.stringify(kept)]));
    if (this.changed.size > 0) {
      // Rows locked in key order, as every projection does: concurrent batches cannot deadlock on them.
      const subjects = [...this.changed].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([sid, c]) => [sid, c.workspaceSid, c.patch]);
      statements.push(prepared(this.projection.upsertSql, [JSON.stringify(subjects)]));
    }
    // After the insert (its round, or later): the insert must read the facts as they stood before the batch.
    const prune = this.rows.length > 0 ? this.projection.pruneCutoff(this.newestMs) : undefined;
    if (prune !== undefined) statements.push(prepared(this.projection.pruneSql, [new Date(prune).toISOString()]));
    return statements;
  }
}
