import type { Migration } from '@taskrouter/event-store';

/** Durable deadlines, derived from the log (replay rebuilds them); versions from 2000. */
export const timerMigrations: readonly Migration[] = [
  {
    version: 2001,
    name: 'timers: reservation, target and task time-to-live deadlines',
    sql: (s) => `
      CREATE TABLE "${s}".timers (
        id bigserial PRIMARY KEY,
        kind text NOT NULL,
        workspace_sid text NOT NULL,
        task_sid text NOT NULL,
        ref text NOT NULL,
        payload jsonb NOT NULL,
        due_at timestamptz(3) NOT NULL,
        lease_until timestamptz(3),
        UNIQUE (kind, task_sid, ref)
      );
      CREATE INDEX ON "${s}".timers (due_at);
    `,
  },
  {
    version: 2002,
    name: 'timers: by task, for cancelling every timer of a task',
    sql: (s) => `CREATE INDEX ON "${s}".timers (task_sid);`,
  },
];
