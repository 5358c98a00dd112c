import type { Migration } from '@taskrouter/event-store';

export const EVENT_TABLES = ['rm_events', 'rm_event_subjects'] as const;

/**
 * What the list's filters look an Event up by, one GIN index over them (event-queries.ts): its type,
 * the task, worker, reservation and workflow it is about and its channel (the unique name and the
 * SID). A filter names the key and its own column, so the index only narrows and the column
 * decides. The queue has a btree of its own: a queue's Events over 30 days are too many to read
 * from GIN and sort, and too few of the workspace's to find in its time order.
 */
export function eventKeys(alias = ''): string {
  const columns = ['event_type', 'task_sid', 'worker_sid', 'reservation_sid', 'workflow_sid', 'task_channel', "event_data->>'task_channel_sid'"];
  return `ARRAY[${columns.map((column) => `${alias}${column}`).join(', ')}]`;
}

/**
 * The TaskRouter Events table and its rows' facts (events-projection.ts). An Event costs its row
 * and at most four btree entries and one GIN write (docs/performance.md, "Events projection cost"):
 * its SID; the list's order per workspace, which also serves a window alone and a filter that
 * matches most Events; its queue's, if any; the keys of every other filter in GIN (its pending list
 * takes an Event's keys in one write and is merged into the index in bulk, a megabyte at a time);
 * and the date alone for retention's prune.
 */
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
    CREATE INDEX ON "${s}".rm_events USING gin ((${eventKeys()})) WITH (fastupdate = on, gin_pending_list_limit = 1024);
    CREATE INDEX ON "${s}".rm_events (task_queue_sid, event_date) WHERE task_queue_sid IS NOT NULL;
    CREATE INDEX ON "${s}".rm_events (event_date);
    CREATE TABLE "${s}".rm_event_subjects (sid text PRIMARY KEY, workspace_sid text NOT NULL, facts jsonb NOT NULL);
  `,
};
