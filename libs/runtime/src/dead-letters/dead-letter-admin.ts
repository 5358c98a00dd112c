import { withTransaction } from '@taskrouter/event-store';
import type { Pool } from 'pg';
import { DEAD_LETTER_COLUMNS, IN_STREAM_ORDER, keyBytes, lockStream, toDeadLetterRow, type DeadLetterRecord, type DeadLetterRow } from './dead-letter-rows';

/** Which dead letters an operator means: one (by id), one stream's, or all; optionally of one consumer. */
export type DeadLetterSelection = { consumer?: string } & ({ id: string } | { stream: string } | { all: true });

export interface DeadLetterSummary {
  consumer: string;
  parked: number;
  held: number;
  markedForRetry: number;
}

/**
 * What `npm run dead-letters` does to the table. Retrying only marks letters: the service that
 * owns them (the consumer group's members, or the relay's lease holder) re-handles them, in
 * stream order, within about a second. Retry works on whole streams, since a stream's held
 * letters can only follow its parked one.
 */
export class DeadLetterAdmin {
  private readonly table: string;

  constructor(
    private readonly pool: Pool,
    private readonly schema: string,
  ) {
    this.table = `"${schema}".dead_letters`;
  }

  async list(filter: { consumer?: string; id?: string; stream?: string } = {}): Promise<DeadLetterRow[]> {
    const where = ['true'];
    const params: unknown[] = [];
    if (filter.consumer !== undefined) where.push(`consumer = $${params.push(filter.consumer)}`);
    if (filter.id !== undefined) where.push(`id = $${params.push(filter.id)}`);
    if (filter.stream !== undefined) where.push(`stream_key = $${params.push(keyBytes(filter.stream))}`);
    const { rows } = await this.pool.query<DeadLetterRecord>(
      `SELECT ${DEAD_LETTER_COLUMNS} FROM ${this.table} d WHERE ${where.join(' AND ')} ORDER BY d.consumer, d.stream_key NULLS LAST, ${IN_STREAM_ORDER}`, params);
    return rows.map(toDeadLetterRow);
  }

  async summary(): Promise<DeadLetterSummary[]> {
    const { rows } = await this.pool.query<DeadLetterSummary>(
      `SELECT consumer, count(*) FILTER (WHERE status = 'parked')::int AS parked, count(*) FILTER (WHERE status = 'held')::int AS held,
              count(*) FILTER (WHERE retry_requested_at IS NOT NULL)::int AS "markedForRetry"
         FROM ${this.table} GROUP BY consumer ORDER BY consumer`);
    return rows;
  }

  /** Marks the selected letters' whole streams for retry; returns how many letters are marked. */
  async markForRetry(selection: DeadLetterSelection): Promise<number> {
    const params: unknown[] = [];
    const consumer = selection.consumer === undefined ? 'true' : `consumer = $${params.push(selection.consumer)}`;
    let where: string;
    if ('id' in selection) {
      const id = `$${params.push(selection.id)}`;
      // A letter without a key is a stream of its own.
      where = `(consumer, stream_key) IN (SELECT consumer, stream_key FROM ${this.table} WHERE id = ${id} AND ${consumer}) OR (id = ${id} AND ${consumer})`;
    } else if ('stream' in selection) {
      where = `stream_key = $${params.push(keyBytes(selection.stream))} AND ${consumer}`;
    } else {
      where = consumer;
    }
    const { rowCount } = await this.pool.query(`UPDATE ${this.table} SET retry_requested_at = now() WHERE ${where}`, params);
    return rowCount ?? 0;
  }

  /**
   * Drops the selected letters. Dropping a stream's first letter (by id) marks the rest of that
   * stream for retry: they were only waiting for it. Dropping a stream drops all of its letters.
   */
  async drop(selection: DeadLetterSelection): Promise<{ dropped: number; markedForRetry: number }> {
    if ('id' in selection) return this.dropOne(selection.id, selection.consumer);
    const params: unknown[] = [];
    const where = ['true'];
    if (selection.consumer !== undefined) where.push(`consumer = $${params.push(selection.consumer)}`);
    if ('stream' in selection) where.push(`stream_key = $${params.push(keyBytes(selection.stream))}`);
    const { rows: streams } = await this.pool.query<{ consumer: string; stream_key: Buffer | null }>(
      `SELECT DISTINCT consumer, stream_key FROM ${this.table} WHERE ${where.join(' AND ')}`, params);
    let dropped = 0;
    // One stream per transaction, under its lock: a record being held right now is dropped too, not stranded.
    for (const { consumer, stream_key } of streams) {
      dropped += await withTransaction(this.pool, async (client) => {
        const key = stream_key === null ? null : stream_key.toString('utf8');
        await lockStream(client, this.schema, consumer, key);
        const { rowCount } = key === null
          ? await client.query(`DELETE FROM ${this.table} WHERE consumer = $1 AND stream_key IS NULL`, [consumer])
          : await client.query(`DELETE FROM ${this.table} WHERE consumer = $1 AND stream_key = $2`, [consumer, stream_key]);
        return rowCount ?? 0;
      });
    }
    return { dropped, markedForRetry: 0 };
  }

  private async dropOne(id: string, consumer?: string): Promise<{ dropped: number; markedForRetry: number }> {
    const [letter] = await this.list({ id, consumer });
    if (!letter) return { dropped: 0, markedForRetry: 0 };
    return withTransaction(this.pool, async (client) => {
      await lockStream(client, this.schema, letter.consumer, letter.streamKey);
      const { rowCount } = await client.query(`DELETE FROM ${this.table} WHERE id = $1`, [id]);
      if (!rowCount || letter.streamKey === null) return { dropped: rowCount ?? 0, markedForRetry: 0 };
      const { rows: earlier } = await client.query(
        `SELECT 1 FROM ${this.table} WHERE consumer = $1 AND stream_key = $2 AND (stream_sequence, id) < ($3::bigint, $4::bigint) LIMIT 1`,
        [letter.consumer, keyBytes(letter.streamKey), letter.streamSequence, id]);
      if (earlier.length > 0) return { dropped: 1, markedForRetry: 0 };
      const marked = await client.query(`UPDATE ${this.table} SET retry_requested_at = now() WHERE consumer = $1 AND stream_key = $2`,
        [letter.consumer, keyBytes(letter.streamKey)]);
      return { dropped: 1, markedForRetry: marked.rowCount ?? 0 };
    });
  }
}
