import type { ActivityCount, ActivityDuration, CumulativeCounts, StatisticsWindow, TaskFigures, WaitDurations, WaitSplit } from '@taskrouter/contract';
import { NO_COUNTS, SPLIT_SAMPLE_LIMIT, windowMinutes } from '@taskrouter/contract';
import type { Pool } from 'pg';

/** Which tasks a real-time figure counts: a workspace's, one workflow's, one channel's; per queue when `queueSids` is given. */
export interface TaskFilter { readonly queueSids?: readonly string[]; readonly workflowSid?: string; readonly channel?: string }

/** A cumulative figure's subject: the buckets of one scope, per SID when `sids` is given, else all of the scope summed. */
export interface CumulativeFilter { readonly scope: 'workspace' | 'queue' | 'workflow' | 'worker'; readonly sids?: readonly string[]; readonly channel?: string }

/** A worker as the real-time figures count it: its version tells whether a cached profile of it still holds. */
export interface WorkerState {
  readonly sid: string; readonly version: number; readonly activitySid: string; readonly available: boolean;
  readonly hasChannel: boolean; readonly channelAvailable: boolean;
}

/** What a TargetWorkers expression can read of a worker, as of `version`. */
export interface WorkerProfile {
  readonly sid: string; readonly version: number; readonly friendlyName: string; readonly activitySid: string; readonly activityName: string;
  readonly attributes: Record<string, unknown>;
}

const WHOLE = '';
const LIVE = `('pending', 'reserved', 'assigned', 'wrapping')`;
const WAITING = `('pending', 'reserved')`;

/** The column of `rm_stats_waits` that names each scope SplitByWaitTime is kept for. */
const WAITS_COLUMN: Partial<Record<CumulativeFilter['scope'], string>> = { workspace: 'workspace_sid', queue: 'task_queue_sid', workflow: 'workflow_sid' };

/**
 * The statistics' reads, each a few set-based queries: the real-time figures count the live tasks
 * of the workspace (a scan of its tasks: no index names `assignment_status`, which would make
 * every status change a non-HOT update) and the workers by activity; the cumulative ones sum the
 * minute buckets (over their shards) a window covers and split at most 10,000 waits per kind by
 * the thresholds asked for. A window covers the minutes that begin within it, [start, end)
 * (windowMinutes); its waits and activity durations cover the same instants.
 */
export class StatisticsQueries {
  constructor(private readonly pool: Pool, private readonly schema: string) {}

  private t(name: string): string {
    return `"${this.schema}".${name}`;
  }

  /**
   * Planned for the values of each request, not prepared: the `$n::text[] IS NULL OR x = ANY($n)`
   * filters (a queue's 5,000 eligible workers, or none) got a generic plan after five calls that
   * compared every row with every element (7.7 s instead of 0.2 s, docs/performance.md, "Statistics").
   */
  private async rows<R>(sql: string, params: unknown[]): Promise<R[]> {
    return (await this.pool.query(sql, params)).rows as R[];
  }

  /** Per queue (when `filter.queueSids`) or for all the filter's tasks (key ''). */
  async taskFigures(workspaceSid: string, filter: TaskFilter, now: Date): Promise<Map<string, TaskFigures>> {
    const rows = await this.rows<{ g: string; kind: string; key: string | null; n: number; sid: string | null; at: Date | null }>(
      `WITH live AS (
         SELECT CASE WHEN $2::text[] IS NULL THEN '' ELSE t.task_queue_sid END AS g, t.sid, t.assignment_status, t.priority, t.date_created, t.task_queue_entered_date
         FROM ${this.t('rm_tasks')} t
         WHERE t.workspace_sid = $1 AND t.assignment_status IN ${LIVE} AND ($2::text[] IS NULL OR t.task_queue_sid = ANY($2))
           AND ($3::text IS NULL OR t.workflow_sid = $3) AND ($4::text IS NULL OR t.task_channel_unique_name = $4))
       SELECT g, 'status' AS kind, assignment_status AS key, count(*)::int AS n, NULL::text AS sid, NULL::timestamptz AS at FROM live GROUP BY g, assignment_status
       UNION ALL SELECT g, 'priority', priority::text, count(*)::int, NULL, NULL FROM live GROUP BY g, priority
       UNION ALL (SELECT DISTINCT ON (g) g, 'oldest', NULL, 0, sid, date_created FROM live WHERE assignment_status IN ${WAITING} ORDER BY g, date_created, sid)
       UNION ALL (SELECT DISTINCT ON (g) g, 'in_queue', NULL, 0, sid, task_queue_entered_date FROM live
                  WHERE assignment_status IN ${WAITING} AND task_queue_entered_date IS NOT NULL ORDER BY g, task_queue_entered_date, sid)`,
      [workspaceSid, filter.queueSids ?? null, filter.workflowSid ?? null, filter.channel ?? null],
    );
    const figures = new Map<string, { tasksByStatus: Record<string, number>; tasksByPriority: Record<string, number>; totalTasks: number; longestWaiting: TaskFigures['longestWaiting']; longestInQueue: TaskFigures['longestInQueue'] }>();
    for (const key of filter.queueSids ?? [WHOLE]) figures.set(key, emptyTaskFigures());
    const age = (at: Date) => Math.max(0, Math.floor((now.getTime() - new Date(at).getTime()) / 1000));
    for (const row of rows) {
      const entry = figures.get(row.g);
      if (!entry) continue;
      if (row.kind === 'status') {
        entry.tasksByStatus[row.key!] = row.n;
        entry.totalTasks += row.n;
      } else if (row.kind === 'priority') entry.tasksByPriority[row.key!] = row.n;
      else if (row.kind === 'oldest') entry.longestWaiting = { sid: row.sid!, ageSeconds: age(row.at!) };
      else entry.longestInQueue = { sid: row.sid!, ageSeconds: age(row.at!) };
    }
    return figures;
  }

  /** The workspace's activities in creation order, each with the workers in it among `workerSids` (all when absent). */
  async activityCounts(workspaceSid: string, options: { channel?: string; workerSids?: readonly string[] } = {}): Promise<ActivityCount[]> {
    const rows = await this.rows<{ sid: string; friendly_name: string; workers: number }>(
      `SELECT a.sid, a.friendly_name, count(k.sid)::int AS workers FROM ${this.t('rm_activities')} a
         LEFT JOIN ${this.t('rm_workers')} k ON k.activity_sid = a.sid AND k.workspace_sid = a.workspace_sid
           AND ($3::text[] IS NULL OR k.sid = ANY($3))
           AND ($2::text IS NULL OR EXISTS (SELECT 1 FROM ${this.t('rm_worker_channels')} c
                WHERE c.worker_sid = k.sid AND c.task_channel_unique_name = $2 AND c.configured_capacity > 0))
       WHERE a.workspace_sid = $1 GROUP BY a.sid, a.friendly_name, a.date_created ORDER BY a.date_created, a.sid`,
      [workspaceSid, options.channel ?? null, options.workerSids ?? null],
    );
    return rows.map((r) => ({ sid: r.sid, friendlyName: r.friendly_name, workers: r.workers }));
  }

  /**
   * Every worker of the workspace as the real-time figures count it, without what eligibility reads
   * (attributes, names): those are asked only for the workers whose version a cache has not seen (`workerRows`).
   */
  async workerStates(workspaceSid: string, channel?: string): Promise<WorkerState[]> {
    const rows = await this.rows<{ sid: string; version: number; activity_sid: string; available: boolean; has_channel: boolean; channel_available: boolean }>(
      `SELECT k.sid, k.version, k.activity_sid, k.available, c.worker_sid IS NOT NULL AS has_channel, coalesce(c.available, false) AS channel_available
       FROM ${this.t('rm_workers')} k LEFT JOIN ${this.t('rm_worker_channels')} c
         ON c.worker_sid = k.sid AND c.task_channel_unique_name = $2 AND c.configured_capacity > 0
       WHERE k.workspace_sid = $1 ORDER BY k.date_created, k.sid`,
      [workspaceSid, channel ?? null],
    );
    return rows.map((r) => ({
      sid: r.sid, version: r.version, activitySid: r.activity_sid, available: r.available,
      hasChannel: channel === undefined || r.has_channel, channelAvailable: channel === undefined || r.channel_available,
    }));
  }

  /** What eligibility reads of these workers (a worker deleted meanwhile is left out), each at the version read. */
  async workerProfiles(workspaceSid: string, sids: readonly string[]): Promise<WorkerProfile[]> {
    if (sids.length === 0) return [];
    const rows = await this.rows<{ sid: string; version: number; friendly_name: string; activity_sid: string; activity_name: string; attributes: Record<string, unknown> }>(
      `SELECT k.sid, k.version, k.friendly_name, k.activity_sid, k.activity_name, k.attributes
       FROM unnest($2::text[]) AS s(sid) JOIN ${this.t('rm_workers')} k ON k.sid = s.sid WHERE k.workspace_sid = $1`,
      [workspaceSid, sids],
    );
    return rows.map((r) => ({ sid: r.sid, version: r.version, friendlyName: r.friendly_name, activitySid: r.activity_sid, activityName: r.activity_name, attributes: r.attributes }));
  }

  /** The buckets' sums over the window, per SID of the scope (or summed over the scope, key ''). */
  async cumulativeCounts(workspaceSid: string, filter: CumulativeFilter, window: StatisticsWindow): Promise<Map<string, CumulativeCounts>> {
    const minutes = windowMinutes(window);
    const rows = await this.rows<Record<string, string | null>>(
      `SELECT CASE WHEN $3::text[] IS NULL THEN '' ELSE scope_sid END AS g,
         sum(tasks_created) AS tasks_created, sum(tasks_entered) AS tasks_entered, sum(tasks_moved) AS tasks_moved,
         sum(tasks_canceled) AS tasks_canceled, sum(tasks_completed) AS tasks_completed, sum(tasks_timed_out_in_workflow) AS tasks_timed_out_in_workflow,
         sum(reservations_created) AS reservations_created, sum(reservations_accepted) AS reservations_accepted,
         sum(reservations_rejected) AS reservations_rejected, sum(reservations_timed_out) AS reservations_timed_out,
         sum(reservations_canceled) AS reservations_canceled,
         sum(accepted_count) AS accepted_count, sum(accepted_wait_ms) AS accepted_wait_ms, min(accepted_wait_ms_min) AS accepted_wait_ms_min,
         max(accepted_wait_ms_max) AS accepted_wait_ms_max, sum(accepted_queue_wait_ms) AS accepted_queue_wait_ms,
         min(accepted_queue_wait_ms_min) AS accepted_queue_wait_ms_min, max(accepted_queue_wait_ms_max) AS accepted_queue_wait_ms_max,
         sum(canceled_count) AS canceled_count, sum(canceled_wait_ms) AS canceled_wait_ms, min(canceled_wait_ms_min) AS canceled_wait_ms_min,
         max(canceled_wait_ms_max) AS canceled_wait_ms_max
       FROM ${this.t('rm_stats_minutes')}
       WHERE workspace_sid = $1 AND scope = $2 AND ($3::text[] IS NULL OR scope_sid = ANY($3))
         AND minute >= $4::timestamptz AND minute < $5::timestamptz AND ($6::text IS NULL OR task_channel = $6)
       GROUP BY 1`,
      [workspaceSid, filter.scope, filter.sids ?? null, minutes.from, minutes.to, filter.channel ?? null],
    );
    const counts = new Map<string, CumulativeCounts>();
    for (const key of filter.sids ?? [WHOLE]) counts.set(key, NO_COUNTS);
    for (const row of rows) if (counts.has(row.g!)) counts.set(row.g!, toCounts(row));
    return counts;
  }

  /**
   * SplitByWaitTime per SID of the scope (or for the whole scope, key ''): of the latest 10,000
   * accepted reservations and the latest 10,000 canceled tasks of the window, how many waited
   * at most each threshold (`below`) and longer. A queue counts the wait since the task entered it.
   * Kept per workspace, queue and workflow: another scope is refused.
   */
  async waitSplits(workspaceSid: string, filter: CumulativeFilter, window: StatisticsWindow, thresholds: readonly number[]): Promise<Map<string, WaitSplit[]>> {
    const column = WAITS_COLUMN[filter.scope];
    if (column === undefined) throw new Error(`SplitByWaitTime is not kept per ${filter.scope}`);
    const splits = new Map<string, WaitSplit[]>();
    if (thresholds.length === 0) return splits;
    const minutes = windowMinutes(window);
    const wait = filter.scope === 'queue' ? 'coalesce(w.queue_wait_ms, w.wait_ms)' : 'w.wait_ms';
    const sample = (kind: string) => `(SELECT '${kind}' AS kind, ${wait} AS ms FROM ${this.t('rm_stats_waits')} w
         WHERE w.workspace_sid = $1 AND w.kind = '${kind}' AND w.${column} = g.sid AND w.at >= $3::timestamptz AND w.at < $4::timestamptz
           AND ($5::text IS NULL OR w.task_channel = $5)
         ORDER BY w.at DESC LIMIT ${SPLIT_SAMPLE_LIMIT})`;
    const sids = filter.sids ?? [workspaceSid];
    const rows = await this.rows<{ g: string; threshold: number; accepted_below: number; accepted_above: number; canceled_below: number; canceled_above: number }>(
      `SELECT g.sid AS g, th.threshold,
         count(*) FILTER (WHERE s.kind = 'accepted' AND s.ms <= th.threshold * 1000::bigint)::int AS accepted_below,
         count(*) FILTER (WHERE s.kind = 'accepted' AND s.ms > th.threshold * 1000::bigint)::int AS accepted_above,
         count(*) FILTER (WHERE s.kind = 'canceled' AND s.ms <= th.threshold * 1000::bigint)::int AS canceled_below,
         count(*) FILTER (WHERE s.kind = 'canceled' AND s.ms > th.threshold * 1000::bigint)::int AS canceled_above
       FROM unnest($2::text[]) AS g(sid) CROSS JOIN LATERAL (${sample('accepted')} UNION ALL ${sample('canceled')}) s
         CROSS JOIN unnest($6::int[]) AS th(threshold)
       GROUP BY g.sid, th.threshold`,
      [workspaceSid, sids, minutes.from, minutes.to, filter.channel ?? null, thresholds],
    );
    const found = new Map(rows.map((row) => [`${row.g}\u0000${row.threshold}`, row]));
    for (const sid of sids) {
      splits.set(filter.sids ? sid : WHOLE, thresholds.map((threshold) => {
        const row = found.get(`${sid}\u0000${threshold}`);
        return {
          threshold,
          below: { tasksCanceled: row?.canceled_below ?? 0, reservationsAccepted: row?.accepted_below ?? 0 },
          above: { tasksCanceled: row?.canceled_above ?? 0, reservationsAccepted: row?.accepted_above ?? 0 },
        };
      }));
    }
    return splits;
  }

  /**
   * Per activity of the workspace, the time `workerSids` (all workers when absent) spent in it
   * within the window's minutes [from, to), up to `until` (now) for the stays still going on: each
   * worker's total, then the sum, least and most over the workers that spent any.
   */
  async activityDurations(workspaceSid: string, window: StatisticsWindow, until: Date, workerSids?: readonly string[]): Promise<ActivityDuration[]> {
    const { from, to } = windowMinutes(window);
    const end = new Date(Math.min(to.getTime(), until.getTime()));
    const rows = await this.rows<{ sid: string; friendly_name: string; workers: number; total: string; min: string; max: string }>(
      `WITH stays AS (
         SELECT worker_sid, activity_sid, greatest(started_at, $2) AS s, least(ended_at, $3) AS e FROM ${this.t('rm_stats_activity_spells')}
         WHERE workspace_sid = $1 AND ended_at > $2 AND started_at < $3 AND ($4::text[] IS NULL OR worker_sid = ANY($4))
         UNION ALL
         SELECT sid, activity_sid, greatest(date_status_changed, $2), $3 FROM ${this.t('rm_workers')}
         WHERE workspace_sid = $1 AND date_status_changed < $3 AND ($4::text[] IS NULL OR sid = ANY($4))
       ), per_worker AS (
         SELECT activity_sid, worker_sid, round(sum(extract(epoch FROM e - s)))::bigint AS seconds FROM stays WHERE e > s GROUP BY activity_sid, worker_sid
       )
       SELECT a.sid, a.friendly_name, count(p.worker_sid)::int AS workers, coalesce(sum(p.seconds), 0)::text AS total,
              coalesce(min(p.seconds), 0)::text AS min, coalesce(max(p.seconds), 0)::text AS max
       FROM ${this.t('rm_activities')} a LEFT JOIN per_worker p ON p.activity_sid = a.sid
       WHERE a.workspace_sid = $1 GROUP BY a.sid, a.friendly_name, a.date_created ORDER BY a.date_created, a.sid`,
      [workspaceSid, from, end, workerSids ?? null],
    );
    return rows.map((r) => ({
      sid: r.sid, friendlyName: r.friendly_name, workers: r.workers, totalSeconds: Number(r.total), minSeconds: Number(r.min), maxSeconds: Number(r.max),
    }));
  }
}

function emptyTaskFigures() {
  return { tasksByStatus: {} as Record<string, number>, tasksByPriority: {} as Record<string, number>, totalTasks: 0, longestWaiting: null, longestInQueue: null };
}

function toCounts(r: Record<string, string | null>): CumulativeCounts {
  const n = (column: string) => Number(r[column] ?? 0);
  const extreme = (column: string) => (r[column] === null ? null : Number(r[column]));
  const waits = (prefix: string, count: string): WaitDurations => ({
    count: n(count), totalMs: n(prefix), minMs: extreme(`${prefix}_min`), maxMs: extreme(`${prefix}_max`),
  });
  return {
    tasksCreated: n('tasks_created'), tasksEntered: n('tasks_entered'), tasksMoved: n('tasks_moved'), tasksCanceled: n('tasks_canceled'),
    tasksCompleted: n('tasks_completed'), tasksTimedOutInWorkflow: n('tasks_timed_out_in_workflow'),
    reservationsCreated: n('reservations_created'), reservationsAccepted: n('reservations_accepted'), reservationsRejected: n('reservations_rejected'),
    reservationsTimedOut: n('reservations_timed_out'), reservationsCanceled: n('reservations_canceled'),
    untilAccepted: waits('accepted_wait_ms', 'accepted_count'), untilCanceled: waits('canceled_wait_ms', 'canceled_count'),
    inQueueUntilAccepted: waits('accepted_queue_wait_ms', 'accepted_count'),
  };
}
