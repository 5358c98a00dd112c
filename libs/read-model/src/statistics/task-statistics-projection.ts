import { INTERNAL } from '@taskrouter/domain';
import type { EventData } from '../projection/projection-context';
import type { SideFold, SideProjection } from '../projection/side-projection';
import { prepared, type ProjectableEvent } from '@taskrouter/event-store';
import type { QueryConfig } from 'pg';
import { MINUTE_COUNTERS, MINUTE_EXTREMES } from './statistics-migration';
import { PruneSchedules, pruneSql, statisticsCutoff, type PruneSchedule } from './statistics-retention';
import { factInstant } from './fact-instant';
import { statisticsShard } from './statistics-shard';

/**
 * What one task event counts, as the statements read it: `k` the kind, the task, its bucket
 * shard, the worker (for a reservation's counts) and what this batch knows of the task as of the
 * event: its queue (`queue_known`: known, even when null), when it entered that queue
 * (`entered_known`), its workflow, channel and creation time. What the batch does not know is read
 * from the task's subject facts (`rm_event_subjects`, kept by the Events projection) as they stood
 * before the batch: a task the batch neither created nor routed before this event had those values then.
 */
interface TaskFact {
  k: FactKind; id: string; ws: string; task: string; shard: number; worker: string | null; at: string;
  q: string | null; queue_known: boolean; entered: string | null; entered_known: boolean; wf: string | null; ch: string | null; created: string | null;
}

type FactKind =
  | 'created' | 'entered' | 'moved' | 'canceled' | 'completed' | 'timed_out_in_workflow'
  | 'reserved' | 'accepted' | 'rejected' | 'timed_out' | 'res_canceled';

/** Which bucket counter each kind moves (accepted and canceled also add their waits). */
const COUNTER_OF_KIND: Record<FactKind, (typeof MINUTE_COUNTERS)[number]> = {
  created: 'tasks_created', entered: 'tasks_entered', moved: 'tasks_moved', canceled: 'tasks_canceled', completed: 'tasks_completed',
  timed_out_in_workflow: 'tasks_timed_out_in_workflow', reserved: 'reservations_created', accepted: 'reservations_accepted',
  rejected: 'reservations_rejected', timed_out: 'reservations_timed_out', res_canceled: 'reservations_canceled',
};

/** A task as this batch knows it: `routed` when the batch knows its queue (and when it entered it) as of now. */
interface KnownTask { created?: string; wf?: string; ch?: string; routed: boolean; q: string | null; entered: string | null }

const RECORD = `(k text, id text, ws text, task text, shard smallint, worker text, at timestamptz, q text, queue_known boolean, entered timestamptz,
  entered_known boolean, wf text, ch text, created timestamptz)`;

/**
 * The facts with what the task's subject facts add (as they stood before the batch), and their waits in milliseconds.
 * OFFSET 0: computed once a fact, not inlined (the task's facts read again) at every column that reads them.
 */
function resolvedFacts(schema: string): string {
  const task = (key: string) => `t.facts->>'${key}'`;
  return `SELECT e.k, e.id, e.ws, e.shard, e.worker, e.at, coalesce(e.ch, ${task('task_channel_unique_name')}, '') AS ch,
      coalesce(e.wf, ${task('workflow_sid')}) AS wf,
      CASE WHEN e.queue_known THEN e.q ELSE ${task('task_queue_sid')} END AS q,
      round(extract(epoch FROM e.at - coalesce(e.created, ${factInstant(task(INTERNAL.taskCreatedMs))})) * 1000)::bigint AS wait,
      round(extract(epoch FROM e.at - CASE WHEN e.entered_known THEN e.entered ELSE ${factInstant(task(INTERNAL.queueEnteredMs))} END) * 1000)::bigint AS queue_wait
    FROM jsonb_to_recordset($1::jsonb) AS e${RECORD} LEFT JOIN "${schema}".rm_event_subjects t ON t.sid = e.task
    OFFSET 0`;
}

function minutesSql(schema: string): string {
  const sums = MINUTE_COUNTERS.map((c) => {
    if (c === 'accepted_count') return `count(*) FILTER (WHERE s.k = 'accepted')`;
    if (c === 'canceled_count') return `count(*) FILTER (WHERE s.k = 'canceled')`;
    if (c === 'accepted_wait_ms') return `coalesce(sum(s.wait) FILTER (WHERE s.k = 'accepted'), 0)`;
    if (c === 'canceled_wait_ms') return `coalesce(sum(s.wait) FILTER (WHERE s.k = 'canceled'), 0)`;
    if (c === 'accepted_queue_wait_ms') return `coalesce(sum(s.queue_wait) FILTER (WHERE s.k = 'accepted'), 0)`;
    const kinds = (Object.keys(COUNTER_OF_KIND) as FactKind[]).filter((k) => COUNTER_OF_KIND[k] === c);
    return `count(*) FILTER (WHERE s.k IN (${kinds.map((k) => `'${k}'`).join(', ')}))`;
  });
  const extremes = MINUTE_EXTREMES.map((c) => {
    const [, kind, value, fn] = /^(accepted|canceled)_(wait_ms|queue_wait_ms)_(min|max)$/.exec(c)!;
    return `${fn}(s.${value === 'wait_ms' ? 'wait' : 'queue_wait'}) FILTER (WHERE s.k = '${kind}')`;
  });
  const columns = ['sid', 'workspace_sid', 'scope', 'scope_sid', 'task_channel', 'minute', 'shard', ...MINUTE_COUNTERS, ...MINUTE_EXTREMES];
  const merges = [
    ...MINUTE_COUNTERS.map((c) => `${c} = m.${c} + excluded.${c}`),
    ...MINUTE_EXTREMES.map((c) => `${c} = ${c.endsWith('_min') ? 'least' : 'greatest'}(m.${c}, excluded.${c})`),
  ];
  // Rows in the order of their whole key, as every projection locks its rows: concurrent batches cannot deadlock on them.
  return `INSERT INTO "${schema}".rm_stats_minutes AS m (${columns.join(', ')})
    SELECT concat_ws(':', s.scope, s.scope_sid, s.ch, extract(epoch FROM s.minute)::bigint, s.bucket_shard) AS sid, s.ws, s.scope, s.scope_sid, s.ch,
      s.minute, s.bucket_shard, ${[...sums, ...extremes].join(', ')}
    FROM (
      SELECT f.*, date_trunc('minute', f.at) AS minute, x.scope, x.scope_sid, x.bucket_shard
      FROM (${resolvedFacts(schema)}) f
      CROSS JOIN LATERAL (VALUES ('workspace', f.ws, f.shard), ('queue', f.q, f.shard), ('workflow', f.wf, f.shard), ('worker', f.worker, 0::smallint))
        AS x(scope, scope_sid, bucket_shard)
      WHERE x.scope_sid IS NOT NULL
    ) s
    GROUP BY s.ws, s.scope, s.scope_sid, s.ch, s.minute, s.bucket_shard
    ORDER BY s.ws, s.scope, s.scope_sid, s.ch, s.minute, s.bucket_shard
    ON CONFLICT (sid) DO UPDATE SET ${merges.join(', ')}`;
}

function waitsSql(schema: string): string {
  return `INSERT INTO "${schema}".rm_stats_waits (sid, workspace_sid, kind, at, wait_ms, queue_wait_ms, task_queue_sid, workflow_sid, task_channel)
    SELECT f.k || ':' || f.id, f.ws, f.k, f.at, f.wait, f.queue_wait, f.q, f.wf, f.ch FROM (${resolvedFacts(schema)}) f WHERE f.wait IS NOT NULL
    ORDER BY f.k, f.id`;
}

/**
 * The cumulative statistics' counters: every task event adds to the minute buckets of its
 * workspace, queue, workflow and (for a reservation) worker, on its channel; accepted reservations
 * and canceled tasks also go to `rm_stats_waits` for SplitByWaitTime. Counting rules are in
 * docs/taskrouter-choices.md ("Statistics").
 *
 * Retention: counts older than 30 days before the UTC day of the newest task event projected are
 * not written, and both tables are pruned to that day (statistics-retention.ts), so they hold the
 * same rows after a replay as live.
 */
export const taskStatisticsProjection: SideProjection & { forget(schema: string): void } = {
  eventTypes: [
    'TaskCreated', 'TaskRouted', 'TaskReserved', 'ReservationAccepted', 'ReservationRejected', 'ReservationTimedOut', 'ReservationCanceled',
    'TaskCompleted', 'TaskCanceled',
  ],
  fold: (schema) => new TaskStatisticsFold(statementsOf(schema), schedules.of(schema)),
  forget: (schema) => schedules.forget(schema),
};

interface TaskStatisticsStatements { readonly minutes: string; readonly waits: string; readonly pruneMinutes: string; readonly pruneWaits: string }

const schedules = new PruneSchedules();
const sqlBySchema = new Map<string, TaskStatisticsStatements>();
function statementsOf(schema: string): TaskStatisticsStatements {
  let sql = sqlBySchema.get(schema);
  if (!sql) {
    sql = {
      minutes: minutesSql(schema), waits: waitsSql(schema),
      pruneMinutes: pruneSql(schema, 'rm_stats_minutes', 'minute'), pruneWaits: pruneSql(schema, 'rm_stats_waits', 'at'),
    };
    sqlBySchema.set(schema, sql);
  }
  return sql;
}

class TaskStatisticsFold implements SideFold {
  private readonly facts: TaskFact[] = [];
  private readonly waits: TaskFact[] = [];
  private readonly tasks = new Map<string, KnownTask>();
  private newestMs = Number.NEGATIVE_INFINITY;

  constructor(private readonly sql: TaskStatisticsStatements, private readonly schedule: PruneSchedule) {}

  add({ type, data }: ProjectableEvent): void {
    switch (type) {
      case 'TaskCreated': {
        const d = data as EventData<'TaskCreated'>;
        this.tasks.set(d.taskSid, { created: d.at, wf: d.workflowSid, ch: d.taskChannelUniqueName, routed: true, q: null, entered: null });
        this.fact('created', d.taskSid, d, null);
        return;
      }
      case 'TaskRouted': {
        const d = data as EventData<'TaskRouted'>;
        if (d.previousQueueSid !== d.queueSid) {
          this.fact('entered', d.taskSid, d, null, d.queueSid);
          if (d.previousQueueSid) this.fact('moved', d.taskSid, d, null, d.previousQueueSid);
        }
        const task = this.known(d.taskSid);
        task.routed = true;
        task.q = d.queueSid;
        task.entered = d.at;
        return;
      }
      case 'TaskReserved': {
        const d = data as EventData<'TaskReserved'>;
        this.fact('reserved', d.reservationSid, d, d.workerSid, d.queueSid);
        return;
      }
      case 'ReservationAccepted':
      case 'ReservationRejected':
      case 'ReservationTimedOut':
      case 'ReservationCanceled': {
        const d = data as EventData<'ReservationAccepted'>;
        const kind = ({ ReservationAccepted: 'accepted', ReservationRejected: 'rejected', ReservationTimedOut: 'timed_out', ReservationCanceled: 'res_canceled' } as const)[type];
        const fact = this.fact(kind, d.reservationSid, d, d.workerSid);
        if (kind === 'accepted') this.waits.push(fact);
        return;
      }
      case 'TaskCompleted': {
        const d = data as EventData<'TaskCompleted'>;
        this.fact('completed', d.taskSid, d, null);
        return;
      }
      case 'TaskCanceled': {
        const d = data as EventData<'TaskCanceled'>;
        // A task that fell out of its workflow is "timed out of the workflow (and deleted)", not canceled.
        if (d.cause === 'workflow-timeout') this.fact('timed_out_in_workflow', d.taskSid, d, null);
        else this.waits.push(this.fact('canceled', d.taskSid, d, null));
        if (d.reservationSid && d.workerSid) this.fact('res_canceled', d.reservationSid, d, d.workerSid);
        return;
      }
    }
  }

  statements(): QueryConfig[] {
    if (this.facts.length === 0) return [];
    const cutoff = statisticsCutoff(this.newestMs);
    const kept = (facts: TaskFact[]) => facts.filter((fact) => Date.parse(fact.at) >= cutoff);
    const [facts, waits] = [kept(this.facts), kept(this.waits)];
    const statements: QueryConfig[] = [];
    if (facts.length > 0) statements.push(prepared(this.sql.minutes, [JSON.stringify(facts)]));
    if (waits.length > 0) statements.push(prepared(this.sql.waits, [JSON.stringify(waits)]));
    const prune = this.schedule.pruneCutoff(this.newestMs);
    if (prune !== undefined) {
      const before = new Date(prune).toISOString();
      statements.push(prepared(this.sql.pruneMinutes, [before]), prepared(this.sql.pruneWaits, [before]));
    }
    return statements;
  }

  private known(taskSid: string): KnownTask {
    let task = this.tasks.get(taskSid);
    if (!task) this.tasks.set(taskSid, (task = { routed: false, q: null, entered: null }));
    return task;
  }

  /** `queue` given: the event names the queue itself. */
  private fact(k: FactKind, id: string, d: { workspaceSid: string; taskSid: string; at: string }, worker: string | null, queue?: string): TaskFact {
    const task = this.tasks.get(d.taskSid);
    const routed = task?.routed ?? false;
    const fact: TaskFact = {
      k, id, ws: d.workspaceSid, task: d.taskSid, shard: statisticsShard(d.taskSid), worker, at: d.at,
      q: queue ?? task?.q ?? null, queue_known: queue !== undefined || routed, entered: task?.entered ?? null, entered_known: routed,
      wf: task?.wf ?? null, ch: task?.ch ?? null, created: task?.created ?? null,
    };
    this.facts.push(fact);
    const atMs = Date.parse(d.at);
    if (atMs > this.newestMs) this.newestMs = atMs;
    return fact;
  }
}
