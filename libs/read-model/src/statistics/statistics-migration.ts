import type { Migration } from '@taskrouter/event-store';

/** The counters one minute bucket keeps, in the order the bucket statement writes them. */
export const MINUTE_COUNTERS = [
  'tasks_created', 'tasks_entered', 'tasks_moved', 'tasks_canceled', 'tasks_completed', 'tasks_timed_out_in_workflow',
  'reservations_created', 'reservations_accepted', 'reservations_rejected', 'reservations_timed_out', 'reservations_canceled',
  'accepted_count', 'accepted_wait_ms', 'canceled_count', 'canceled_wait_ms', 'accepted_queue_wait_ms',
] as const;

/** Bucket columns merged by least/greatest instead of a sum. */
export const MINUTE_EXTREMES = [
  'accepted_wait_ms_min', 'accepted_wait_ms_max', 'canceled_wait_ms_min', 'canceled_wait_ms_max', 'accepted_queue_wait_ms_min', 'accepted_queue_wait_ms_max',
] as const;

/**
 * The statistics' projections (docs/taskrouter-choices.md, "Statistics"):
 *
 * - `rm_stats_minutes`: per workspace, queue, workflow and worker (`scope`, `scope_sid`), per task
 *   channel, per minute and per `shard`, the counters and wait sums the cumulative statistics add up.
 *   The shared scopes (workspace, queue, workflow) are cut into STATISTICS_SHARDS rows by a hash of
 *   the task (statistics-shard.ts), so appends on different tasks rarely wait for the same row;
 *   a worker's rows are shard 0 (its own stream orders its reservations anyway). The queries sum
 *   over shards. A row's `sid` is its key as text (`scope:scope_sid:channel:epoch seconds:shard`),
 *   as replay's swap and digests need a `sid` in every table. Every batch upserts its sums.
 * - `rm_stats_waits`: one row per accepted reservation and per canceled task, with its wait:
 *   what `SplitByWaitTime` counts against thresholds the request chooses, per workspace, queue
 *   or workflow (an index for each).
 * - `rm_stats_activity_spells`: one row per finished stay of a worker in an activity (the current
 *   one is `rm_workers.activity_sid` since `date_status_changed`): `activity_durations`.
 *
 * Rows are kept 30 days (statistics-retention.ts): the indexes on `minute`, `at` and `ended_at`
 * serve its deletes. Nothing indexes `rm_tasks.assignment_status`: an index on it (even a partial
 * one, whose predicate names it) would make every task status change a non-HOT update; the
 * real-time figures scan the workspace's tasks instead.
 */
export const statisticsMigration: Migration = {
  version: 1120,
  name: 'read model: statistics (minute buckets, waits, activity spells)',
  sql: (s) => `
    CREATE TABLE "${s}".rm_stats_minutes (
      sid text PRIMARY KEY, workspace_sid text NOT NULL, scope text NOT NULL, scope_sid text NOT NULL, task_channel text NOT NULL,
      minute timestamptz NOT NULL, shard smallint NOT NULL,
      ${MINUTE_COUNTERS.map((c) => `${c} bigint NOT NULL DEFAULT 0`).join(', ')},
      ${MINUTE_EXTREMES.map((c) => `${c} bigint`).join(', ')}
    );
    CREATE INDEX ON "${s}".rm_stats_minutes (workspace_sid, scope, minute, scope_sid);
    CREATE INDEX ON "${s}".rm_stats_minutes (minute);
    CREATE TABLE "${s}".rm_stats_waits (
      sid text PRIMARY KEY, workspace_sid text NOT NULL, kind text NOT NULL, at timestamptz(3) NOT NULL,
      wait_ms bigint NOT NULL, queue_wait_ms bigint, task_queue_sid text, workflow_sid text, task_channel text NOT NULL
    );
    CREATE INDEX ON "${s}".rm_stats_waits (workspace_sid, kind, at);
    CREATE INDEX ON "${s}".rm_stats_waits (task_queue_sid, kind, at) WHERE task_queue_sid IS NOT NULL;
    CREATE INDEX ON "${s}".rm_stats_waits (workflow_sid, kind, at) WHERE workflow_sid IS NOT NULL;
    CREATE INDEX ON "${s}".rm_stats_waits (at);
    CREATE TABLE "${s}".rm_stats_activity_spells (
      sid text PRIMARY KEY, workspace_sid text NOT NULL, worker_sid text NOT NULL, activity_sid text NOT NULL,
      started_at timestamptz(3) NOT NULL, ended_at timestamptz(3) NOT NULL
    );
    CREATE INDEX ON "${s}".rm_stats_activity_spells (workspace_sid, ended_at);
    CREATE INDEX ON "${s}".rm_stats_activity_spells (ended_at);
  `,
};

export const STATISTICS_TABLES = ['rm_stats_minutes', 'rm_stats_waits', 'rm_stats_activity_spells'] as const;
