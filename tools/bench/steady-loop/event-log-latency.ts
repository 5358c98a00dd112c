import type { Pool } from 'pg';

/** One task's creation and first reservation as the event log recorded them (`recorded_at`, the database clock). */
export interface LoggedTask {
  readonly taskSid: string;
  readonly createdAt: number;
  /** Null while the task has no TaskReserved event. */
  readonly reservedAt: number | null;
}

/**
 * TaskCreated → first TaskReserved of each task, read from the run's event log. `recorded_at` is
 * when each event's transaction started (millisecond precision), so this is server-side time,
 * free of the benchmark client's own scheduling.
 */
export async function readLoggedTasks(pool: Pool, schema: string, taskSids: readonly string[]): Promise<LoggedTask[]> {
  const result: LoggedTask[] = [];
  for (let start = 0; start < taskSids.length; start += 5_000) {
    const streams = taskSids.slice(start, start + 5_000).map((sid) => `task:${sid}`);
    const { rows } = await pool.query(
      `SELECT stream_id,
              extract(epoch FROM min(recorded_at) FILTER (WHERE type = 'TaskCreated')) * 1000 AS created_ms,
              extract(epoch FROM min(recorded_at) FILTER (WHERE type = 'TaskReserved')) * 1000 AS reserved_ms
       FROM "${schema}".events WHERE stream_id = ANY($1) AND type IN ('TaskCreated', 'TaskReserved') GROUP BY stream_id`,
      [streams],
    );
    for (const row of rows) {
      if (row.created_ms === null) continue;
      result.push({ taskSid: String(row.stream_id).slice('task:'.length), createdAt: Number(row.created_ms), reservedAt: row.reserved_ms === null ? null : Number(row.reserved_ms) });
    }
  }
  return result;
}

/** Waits until the log stops growing (no new event for `quietMs`), at most `timeoutMs`; says whether it went quiet. */
export async function waitForQuietLog(pool: Pool, schema: string, options: { quietMs: number; timeoutMs: number; onWait?: (behindMs: number) => void }): Promise<boolean> {
  const started = Date.now();
  let last = -1;
  let since = Date.now();
  for (;;) {
    const { rows } = await pool.query(`SELECT coalesce(max(position), 0)::bigint AS p FROM "${schema}".events`);
    const position = Number(rows[0].p);
    if (position !== last) {
      last = position;
      since = Date.now();
    } else if (Date.now() - since >= options.quietMs) {
      return true;
    }
    if (Date.now() - started >= options.timeoutMs) return false;
    options.onWait?.(Date.now() - started);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}
