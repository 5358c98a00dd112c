export interface Migration {
  version: number;
  name: string;
  /** DDL for the given (already validated) schema name. */
  sql: (schema: string) => string;
}

/**
 * Numbered, append-only: a released migration is never edited, a change is a new one.
 * They all run in one transaction under an advisory lock (see migrator.ts).
 */
export const migrations: readonly Migration[] = [
  {
    version: 1,
    name: 'event log, streams, checkpoints, consumer positions',
    sql: (s) => `
      -- The head of every stream: expected-version checks lock and advance one row here
      -- instead of scanning events. last_transaction_id keeps commit order per stream
      -- (see StreamOrderConflictError).
      CREATE TABLE "${s}".streams (
        stream_id text PRIMARY KEY,
        version int NOT NULL CHECK (version > 0),
        last_transaction_id xid8 NOT NULL
      );

      CREATE TABLE "${s}".events (
        position bigserial PRIMARY KEY,
        transaction_id xid8 NOT NULL DEFAULT pg_current_xact_id(),
        stream_id text NOT NULL,
        stream_version int NOT NULL CHECK (stream_version > 0),
        type text NOT NULL,
        schema_version int NOT NULL DEFAULT 1,
        data jsonb NOT NULL,
        metadata jsonb NOT NULL DEFAULT '{}',
        recorded_at timestamptz(3) NOT NULL DEFAULT now(),
        CONSTRAINT events_stream_version_unique UNIQUE (stream_id, stream_version)
      );

      -- Readers of the whole log go in commit order.
      CREATE INDEX events_commit_order ON "${s}".events (transaction_id, position);

      -- Wakes relays as soon as an append commits (NOTIFY is delivered on commit only).
      CREATE FUNCTION "${s}".notify_events_appended() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        PERFORM pg_notify(TG_TABLE_SCHEMA || '_events_appended', '');
        RETURN NULL;
      END $$;
      CREATE TRIGGER events_appended AFTER INSERT ON "${s}".events
        FOR EACH STATEMENT EXECUTE FUNCTION "${s}".notify_events_appended();

      -- How far each reader of the whole log got (for example the outbox relay).
      CREATE TABLE "${s}".checkpoints (
        name text PRIMARY KEY,
        transaction_id xid8 NOT NULL,
        position bigint NOT NULL,
        updated_at timestamptz(3) NOT NULL DEFAULT now()
      );

      -- Per consumer and stream, the highest stream version whose effect is committed.
      -- Events of one stream arrive in order, so anything at or below it is a redelivery.
      CREATE TABLE "${s}".consumer_stream_positions (
        consumer text NOT NULL,
        stream_id text NOT NULL,
        stream_version int NOT NULL,
        PRIMARY KEY (consumer, stream_id)
      );
    `,
  },
  {
    version: 2,
    name: 'append notifications by choice, not by trigger',
    // NOTIFY takes one database-wide lock at every commit that sent it: with the trigger every
    // append serialised on it (routing ran 30% faster without). Stores created with
    // `notifyAppends: true` send it from the append instead; relays otherwise poll.
    sql: (s) => `
      DROP TRIGGER IF EXISTS events_appended ON "${s}".events;
      DROP FUNCTION IF EXISTS "${s}".notify_events_appended();
    `,
  },
];
