import { withTransaction } from '@taskrouter/event-store';
import type { DeadLetterFailure, DeadLetterSource, DeadLetterStore, HoldOutcome, StoredDeadLetter } from '@taskrouter/messaging';
import type { Pool, PoolClient } from 'pg';
import { DEAD_LETTER_COLUMNS, IN_STREAM_ORDER, INSERT_COLUMNS, insertValues, keyBytes, lockStream, storableText, toDeadLetterRow, type DeadLetterRecord, type DeadLetterRow } from './dead-letter-rows';

/**
 * The dead-letter table in the service's schema: the truth behind each consumer's in-memory set
 * of parked keys. Everything that changes one stream's letters takes that stream's lock, so a
 * record arriving while the retry loop clears the stream is either held behind what is left or
 * finds the stream clear, never in between.
 */
export class PostgresDeadLetterStore implements DeadLetterStore {
  private readonly table: string;

  constructor(
    private readonly pool: Pool,
    private readonly schema: string,
  ) {
    this.table = `"${schema}".dead_letters`;
  }

  async parkedKeys(consumer: string): Promise<string[]> {
    const { rows } = await this.pool.query<{ stream_key: Buffer }>(
      `SELECT DISTINCT stream_key FROM ${this.table} WHERE consumer = $1 AND stream_key IS NOT NULL`, [storableText(consumer)]);
    return rows.map((row) => row.stream_key.toString('utf8'));
  }

  park(letter: DeadLetterSource, failure: DeadLetterFailure): Promise<boolean> {
    return withTransaction(this.pool, async (client) => {
      await lockStream(client, this.schema, letter.consumer, letter.streamKey);
      const { rowCount } = await client.query(
        `INSERT INTO ${this.table} (${INSERT_COLUMNS}, error, attempts, first_failed_at, last_failed_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, now())
         ON CONFLICT (consumer, source_ref) DO NOTHING`,
        [...insertValues(letter, 'parked'), storableText(failure.error), failure.attempts, failure.firstFailedAt]);
      return rowCount === 1;
    });
  }

  holdIfBehind(letter: DeadLetterSource): Promise<HoldOutcome> {
    const streamKey = letter.streamKey;
    if (streamKey === null) return Promise.resolve('clear');
    return withTransaction(this.pool, async (client) => {
      await lockStream(client, this.schema, letter.consumer, streamKey);
      const first = await this.firstOfStream(client, letter.consumer, streamKey);
      if (!first) return 'clear';
      if (BigInt(first.streamSequence) > BigInt(letter.streamSequence)) return 'ahead';
      const { rowCount } = await client.query(
        `INSERT INTO ${this.table} (${INSERT_COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)
         ON CONFLICT (consumer, source_ref) DO NOTHING`, insertValues(letter, 'held'));
      return rowCount === 1 ? 'held' : 'already-there';
    });
  }

  async headsToRetry(consumer: string): Promise<StoredDeadLetter[]> {
    const { rows } = await this.pool.query<DeadLetterRecord>(
      `(SELECT DISTINCT ON (d.stream_key) ${DEAD_LETTER_COLUMNS} FROM ${this.table} d
          WHERE consumer = $1 AND stream_key IN (
            SELECT stream_key FROM ${this.table} WHERE consumer = $1 AND stream_key IS NOT NULL AND retry_requested_at IS NOT NULL)
          ORDER BY d.stream_key, ${IN_STREAM_ORDER})
       UNION ALL
       (SELECT ${DEAD_LETTER_COLUMNS} FROM ${this.table} WHERE consumer = $1 AND stream_key IS NULL AND retry_requested_at IS NOT NULL)`,
      [storableText(consumer)]);
    return rows.map(toDeadLetterRow);
  }

  resolve(letter: StoredDeadLetter): Promise<StoredDeadLetter | null> {
    return withTransaction(this.pool, async (client) => {
      await lockStream(client, this.schema, letter.consumer, letter.streamKey);
      await client.query(`DELETE FROM ${this.table} WHERE id = $1`, [letter.id]);
      return letter.streamKey === null ? null : this.firstOfStream(client, letter.consumer, letter.streamKey);
    });
  }

  repark(letter: StoredDeadLetter, failure: DeadLetterFailure): Promise<void> {
    return withTransaction(this.pool, async (client) => {
      await lockStream(client, this.schema, letter.consumer, letter.streamKey);
      await client.query(
        `UPDATE ${this.table} SET status = 'parked', error = $2, attempts = attempts + $3, first_failed_at = coalesce(first_failed_at, $4),
           last_failed_at = now(), retries = retries + 1, retry_requested_at = NULL WHERE id = $1`,
        [letter.id, storableText(failure.error), failure.attempts, failure.firstFailedAt]);
      // The stream waits for the operator again, not for the next poll.
      if (letter.streamKey !== null) {
        await client.query(`UPDATE ${this.table} SET retry_requested_at = NULL WHERE consumer = $1 AND stream_key = $2`,
          [storableText(letter.consumer), keyBytes(letter.streamKey)]);
      }
    });
  }

  private async firstOfStream(client: PoolClient, consumer: string, streamKey: string): Promise<DeadLetterRow | null> {
    const { rows } = await client.query<DeadLetterRecord>(
      `SELECT ${DEAD_LETTER_COLUMNS} FROM ${this.table} d WHERE consumer = $1 AND stream_key = $2 ORDER BY ${IN_STREAM_ORDER} LIMIT 1`,
      [storableText(consumer), keyBytes(streamKey)]);
    return rows.length === 0 ? null : toDeadLetterRow(rows[0]);
  }
}
