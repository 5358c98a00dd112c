import { prepared, type GlobalCheckpoint } from '@taskrouter/event-store';
import type { Pool, PoolClient } from 'pg';

/** The history's checkpoint and lease name: one history per schema, whichever process projects it. */
export const HISTORY_PROJECTION_NAME = 'history-projection';

/** The log before its first event: where a history that never projected stands. */
export const LOG_START: GlobalCheckpoint = { transactionId: '0', position: '0' };

type Queryable = Pick<Pool, 'query'> | PoolClient;

/** Writes the checkpoint row at the log's start unless it exists: a row to lock before anything was projected. */
export async function ensureHistoryCheckpoint(db: Queryable, schema: string): Promise<void> {
  await db.query(prepared(
    `INSERT INTO "${schema}".checkpoints (name, transaction_id, position) VALUES ($1, '0', 0) ON CONFLICT (name) DO NOTHING`, [HISTORY_PROJECTION_NAME],
  ));
}

/**
 * The checkpoint as `db` sees it, undefined when its row is missing. `lock`: the row is locked for
 * the transaction, as every batch of the projector and a rebuild's swap lock it, so the two never
 * write the history at once.
 */
export async function historyCheckpoint(db: Queryable, schema: string, lock = false): Promise<GlobalCheckpoint | undefined> {
  const { rows } = await db.query<GlobalCheckpoint>(prepared(
    `SELECT transaction_id::text AS "transactionId", position::text AS position FROM "${schema}".checkpoints WHERE name = $1${lock ? ' FOR UPDATE' : ''}`,
    [HISTORY_PROJECTION_NAME],
  ));
  return rows[0];
}
