import { INTERNAL } from '@taskrouter/domain';
import type { Migration } from '@taskrouter/event-store';
import { HISTORY_PROJECTION_NAME } from './history/history-checkpoint';
import { EVENT_TABLES, eventsMigration } from './projection/events-migration';
import { statisticsMigration, STATISTICS_TABLES } from './statistics/statistics-migration';

/**
 * The read model: projections of the event log, the current state updated in the same
 * transaction as its events, the history after them, both rebuilt by replay. Versions from 1000 keep them apart from the event
 * store's own migrations, which share the migrations table.
 */
export const readModelMigrations: readonly Migration[] = [
  {
    version: 1001,
    name: 'read model: workspaces, activities, channels, queues, workflows, workers, tasks, reservations',
    sql: (s) => `
      CREATE TABLE "${s}".rm_workspaces (
        sid text PRIMARY KEY, account_sid text NOT NULL, friendly_name text NOT NULL,
        default_activity_sid text NOT NULL, timeout_activity_sid text NOT NULL,
        event_callback_url text, events_filter text, multi_task_enabled boolean NOT NULL, prioritize_queue_order text NOT NULL,
        date_created timestamptz(3) NOT NULL, date_updated timestamptz(3) NOT NULL
      );
      CREATE TABLE "${s}".rm_activities (
        sid text PRIMARY KEY, workspace_sid text NOT NULL, friendly_name text NOT NULL, available boolean NOT NULL,
        date_created timestamptz(3) NOT NULL, date_updated timestamptz(3) NOT NULL
      );
      CREATE INDEX ON "${s}".rm_activities (workspace_sid);
      CREATE TABLE "${s}".rm_task_channels (
        sid text PRIMARY KEY, workspace_sid text NOT NULL, unique_name text NOT NULL, friendly_name text NOT NULL,
        channel_optimized_routing boolean NOT NULL, date_created timestamptz(3) NOT NULL, date_updated timestamptz(3) NOT NULL,
        UNIQUE (workspace_sid, unique_name)
      );
      CREATE TABLE "${s}".rm_task_queues (
        sid text PRIMARY KEY, workspace_sid text NOT NULL, friendly_name text NOT NULL, target_workers text,
        max_reserved_workers int NOT NULL, task_order text NOT NULL, reservation_activity_sid text, assignment_activity_sid text,
        date_created timestamptz(3) NOT NULL, date_updated timestamptz(3) NOT NULL
      );
      CREATE INDEX ON "${s}".rm_task_queues (workspace_sid);
      CREATE TABLE "${s}".rm_workflows (
        sid text PRIMARY KEY, workspace_sid text NOT NULL, friendly_name text NOT NULL, configuration text NOT NULL,
        task_reservation_timeout int NOT NULL, assignment_callback_url text, fallback_assignment_callback_url text,
        date_created timestamptz(3) NOT NULL, date_updated timestamptz(3) NOT NULL
      );
      CREATE INDEX ON "${s}".rm_workflows (workspace_sid);
      CREATE TABLE "${s}".rm_workers (
        sid text PRIMARY KEY, workspace_sid text NOT NULL, friendly_name text NOT NULL, attributes jsonb NOT NULL,
        activity_sid text NOT NULL, activity_name text NOT NULL, available boolean NOT NULL,
        date_created timestamptz(3) NOT NULL, date_updated timestamptz(3) NOT NULL, date_status_changed timestamptz(3) NOT NULL,
        version int NOT NULL
      );
      CREATE UNIQUE INDEX ON "${s}".rm_workers (workspace_sid, lower(friendly_name));
      CREATE TABLE "${s}".rm_worker_channels (
        sid text PRIMARY KEY, workspace_sid text NOT NULL, worker_sid text NOT NULL, task_channel_sid text NOT NULL,
        task_channel_unique_name text NOT NULL, configured_capacity int NOT NULL, available boolean NOT NULL,
        assigned_tasks int NOT NULL DEFAULT 0, reserved int NOT NULL DEFAULT 0,
        date_created timestamptz(3) NOT NULL, date_updated timestamptz(3) NOT NULL,
        UNIQUE (worker_sid, task_channel_unique_name)
      );
      CREATE TABLE "${s}".rm_tasks (
        sid text PRIMARY KEY, workspace_sid text NOT NULL, workflow_sid text NOT NULL, attributes jsonb NOT NULL,
        assignment_status text NOT NULL, priority int NOT NULL, reason text, task_queue_sid text, task_queue_entered_date timestamptz(3),
        task_channel_sid text NOT NULL, task_channel_unique_name text NOT NULL, timeout int NOT NULL,
        routing_explanation jsonb, date_created timestamptz(3) NOT NULL, date_updated timestamptz(3) NOT NULL, version int NOT NULL
      );
      CREATE INDEX ON "${s}".rm_tasks (workspace_sid, date_created);
      CREATE TABLE "${s}".rm_reservations (
        sid text PRIMARY KEY, workspace_sid text NOT NULL, task_sid text NOT NULL, worker_sid text NOT NULL, worker_name text NOT NULL,
        reservation_status text NOT NULL, date_created timestamptz(3) NOT NULL, date_updated timestamptz(3) NOT NULL
      );
      CREATE INDEX ON "${s}".rm_reservations (task_sid);
      CREATE INDEX ON "${s}".rm_reservations (worker_sid);
    `,
  },
  statisticsMigration,
  eventsMigration,
  {
    version: 1140,
    name: 'the history projected apart from the appends: its checkpoint starts at the log as projected so far',
    // Until this version the appends projected the history themselves, so it already holds the whole log: its
    // checkpoint starts at the log's head (no catch-up over the whole log), and the tasks' facts get the queue-entry
    // time the statistics now read from them, as rm_tasks holds it. Only with nothing appending (docs/operations.md).
    sql: (s) => `
      UPDATE "${s}".rm_event_subjects f
        SET facts = f.facts || jsonb_build_object('${INTERNAL.queueEnteredMs}', round(extract(epoch FROM t.task_queue_entered_date) * 1000)::bigint)
        FROM "${s}".rm_tasks t WHERE t.sid = f.sid AND t.task_queue_entered_date IS NOT NULL;
      DO $$ BEGIN
        IF to_regclass('"${s}".events') IS NOT NULL AND to_regclass('"${s}".checkpoints') IS NOT NULL THEN
          INSERT INTO "${s}".checkpoints (name, transaction_id, position)
            SELECT '${HISTORY_PROJECTION_NAME}', transaction_id, position FROM "${s}".events ORDER BY transaction_id DESC, position DESC LIMIT 1
            ON CONFLICT (name) DO NOTHING;
        END IF;
      END $$;`,
  },
  {
    version: 1150,
    name: 'statistics: a scope subject\'s minute buckets found by its SID first (one worker among thousands)',
    sql: (s) => `CREATE INDEX ON "${s}".rm_stats_minutes (workspace_sid, scope, scope_sid, minute)`,
  },
];

/** The current-state tables, written in the append's transaction. */
export const CURRENT_STATE_TABLES = [
  'rm_workspaces', 'rm_activities', 'rm_task_channels', 'rm_task_queues', 'rm_workflows', 'rm_workers', 'rm_worker_channels', 'rm_tasks', 'rm_reservations',
] as const;

/** Every table of the read model: the current state and the history (history/history-projection.ts). */
export const READ_MODEL_TABLES = [...CURRENT_STATE_TABLES, ...STATISTICS_TABLES, ...EVENT_TABLES] as const;
