import type { Migration } from '@taskrouter/event-store';

export const EVENT_TABLES = ['rm_events', 'rm_event_subjects'] as const;

/** The TaskRouter Events table, indexed for the list filters, each newest first (events-projection.ts, event-queries.ts), and its rows' facts. */
export const eventsMigration: Migration = {
  version: 1130,
  name: 'read model: TaskRouter Events and the facts their data is completed from',
  sql: (s) => `
    CREATE TABLE "${s}".rm_events (
      sid text PRIMARY KEY, workspace_sid text NOT NULL, event_type text NOT NULL, resource_type text NOT NULL, resource_sid text NOT NULL,
      actor_type text NOT NULL, actor_sid text, event_date timestamptz(3) NOT NULL, event_date_ms bigint NOT NULL,
      stream_version int NOT NULL, idx int NOT NULL, task_sid text, worker_sid text, reservation_sid text, task_queue_sid text,
      workflow_sid text, task_channel text, event_data jsonb NOT NULL
    );
    CREATE INDEX ON "${s}".rm_events (workspace_sid, event_date, stream_version, idx, sid);
    CREATE INDEX ON "${s}".rm_events (workspace_sid, event_type, event_date);
    CREATE INDEX ON "${s}".rm_events (task_sid, event_date) WHERE task_sid IS NOT NULL;
    CREATE INDEX ON "${s}".rm_events (worker_sid, event_date) WHERE worker_sid IS NOT NULL;
    CREATE INDEX ON "${s}".rm_events (reservation_sid) WHERE reservation_sid IS NOT NULL;
    CREATE INDEX ON "${s}".rm_events (task_queue_sid, event_date) WHERE task_queue_sid IS NOT NULL;
    CREATE INDEX ON "${s}".rm_events (workflow_sid, event_date) WHERE workflow_sid IS NOT NULL;
    CREATE INDEX ON "${s}".rm_events (event_date);
    CREATE TABLE "${s}".rm_event_subjects (sid text PRIMARY KEY, workspace_sid text NOT NULL, facts jsonb NOT NULL);
  `,
};
