import type { Migration } from '@taskrouter/event-store';

/**
 * The dead-letter table (docs/operations.md, "Dead letters"); versions from 3000 keep it apart
 * from the event store's, the read model's (1000) and the timers' (2000) in the shared table.
 */
export const deadLetterMigrations: readonly Migration[] = [
  {
    version: 3001,
    name: 'dead letters: records a consumer or the relay could not get past, and those held behind them',
    sql: (s) => `
      CREATE TABLE "${s}".dead_letters (
        id bigserial PRIMARY KEY,
        -- The consumer group, or the outbox relay's name.
        consumer text NOT NULL,
        -- parked: it failed; held: it waits behind an earlier dead letter of its stream.
        status text NOT NULL CHECK (status IN ('parked', 'held')),
        topic text NOT NULL,
        kafka_partition int,
        kafka_offset bigint,
        -- topic/partition/offset, or log/<position> for the relay: a redelivery is the same letter.
        source_ref text NOT NULL,
        -- The record key (stream id) as bytes, so any key a record can have round-trips exactly.
        stream_key bytea,
        -- Order within the stream: the offset for consumers, the stream version for the relay.
        stream_sequence bigint NOT NULL,
        event_type text,
        -- Bytes, not text: a record from outside may hold what a text column refuses (NUL).
        value bytea,
        headers jsonb NOT NULL DEFAULT '{}',
        error text,
        attempts int NOT NULL DEFAULT 0,
        first_failed_at timestamptz(3),
        last_failed_at timestamptz(3),
        parked_at timestamptz(3) NOT NULL DEFAULT now(),
        retry_requested_at timestamptz(3),
        retries int NOT NULL DEFAULT 0,
        CONSTRAINT dead_letters_source_unique UNIQUE (consumer, source_ref)
      );
      CREATE INDEX dead_letters_stream ON "${s}".dead_letters (consumer, stream_key, stream_sequence, id);
      CREATE INDEX dead_letters_marked ON "${s}".dead_letters (consumer) WHERE retry_requested_at IS NOT NULL;
    `,
  },
];
