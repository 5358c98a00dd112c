import type { Migration } from '@taskrouter/event-store';

/** task-ingest's own tables; versions from 4000. */
export const webhookMigrations: readonly Migration[] = [
  {
    version: 4001,
    name: 'webhook drops: event callbacks given up after their tries',
    sql: (s) => `
      CREATE TABLE "${s}".webhook_drops (
        id bigserial PRIMARY KEY,
        workspace_sid text NOT NULL,
        event_sid text NOT NULL,
        event_type text NOT NULL,
        destination text NOT NULL,
        attempts int NOT NULL,
        reason text NOT NULL,
        dropped_at timestamptz(3) NOT NULL DEFAULT now()
      );
      CREATE INDEX ON "${s}".webhook_drops (workspace_sid, dropped_at);
    `,
  },
];
