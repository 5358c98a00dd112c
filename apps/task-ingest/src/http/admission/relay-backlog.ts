import type { Pool } from 'pg';

export interface RelayBacklog {
  /** Committed events after the relay's checkpoint, counted up to the cap. */
  readonly unrelayed: number;
  /** The highest position in the log. */
  readonly logHead: number;
}

/**
 * How far the outbox relay is behind the log, in one statement on one pooled connection.
 * The relay's checkpoint is a row of `checkpoints` (name `outbox-relay:<prefix>.events`, the
 * lease holder's, whichever service holds it); the events after it in commit order are what it
 * has not published. Counting them walks the `(transaction_id, position)` index from the
 * checkpoint, and stops at `cap` rows, so a long backlog costs no more than one slightly above
 * the high mark (the cap), and a caught-up relay costs one index probe. `max(position)` is one
 * probe of the primary key. A subtraction of positions would be cheaper still but wrong by every
 * rolled-back append (sequences are not rolled back), and positions are not commit order.
 */
export async function readRelayBacklog(pool: Pool, schema: string, relayName: string, cap: number): Promise<RelayBacklog> {
  const s = `"${schema.replace(/"/g, '')}"`;
  const { rows } = await pool.query<{ unrelayed: number; head: string | null }>({
    name: `admission-relay-backlog-${schema}`,
    text: `SELECT
        (SELECT count(*)::int FROM (
          SELECT 1 FROM ${s}.events e
          WHERE (e.transaction_id, e.position) > (
            COALESCE((SELECT c.transaction_id FROM ${s}.checkpoints c WHERE c.name = $1), '0'::xid8),
            COALESCE((SELECT c.position FROM ${s}.checkpoints c WHERE c.name = $1), 0))
          LIMIT $2) unrelayed) AS unrelayed,
        (SELECT max(position)::text FROM ${s}.events) AS head`,
    values: [relayName, cap],
  });
  return { unrelayed: rows[0]?.unrelayed ?? 0, logHead: Number(rows[0]?.head ?? 0) };
}
