import { prepared, type Transaction } from '@taskrouter/event-store';
import type { Pool } from 'pg';

export type TimerKind = 'reservation' | 'target' | 'ttl';

export interface Timer {
  readonly id: string;
  readonly kind: TimerKind;
  readonly workspaceSid: string;
  readonly taskSid: string;
  readonly ref: string;
  readonly payload: Record<string, unknown>;
  readonly dueAt: Date;
}

export type NewTimer = Omit<Timer, 'id'>;

/** How long a claimed timer stays with one timer instance before another may fire it. */
const LEASE_MS = 30_000;

/** Deadlines in Postgres: scheduling is idempotent (a redelivered event adds nothing), claiming is exclusive. */
export class TimerStore {
  constructor(private readonly pool: Pool, private readonly schema: string) {}

  private get table(): string {
    return `"${this.schema}".timers`;
  }

  async schedule(timer: NewTimer): Promise<void> {
    await this.pool.query(prepared(
      `INSERT INTO ${this.table} (kind, workspace_sid, task_sid, ref, payload, due_at) VALUES ($1,$2,$3,$4,$5,$6) ON CONFLICT (kind, task_sid, ref) DO NOTHING`,
      [timer.kind, timer.workspaceSid, timer.taskSid, timer.ref, JSON.stringify(timer.payload), timer.dueAt],
    ));
  }

  /** Due timers for this instance alone: skipped if another instance holds them, leased for a while. */
  async claimDue(now: Date, limit: number): Promise<Timer[]> {
    const { rows } = await this.pool.query(prepared(
      `UPDATE ${this.table} SET lease_until = $2 WHERE id IN (
         SELECT id FROM ${this.table} WHERE due_at <= $1 AND (lease_until IS NULL OR lease_until < $1)
         ORDER BY due_at LIMIT $3 FOR UPDATE SKIP LOCKED)
       RETURNING id, kind, workspace_sid, task_sid, ref, payload, due_at`,
      [now, new Date(now.getTime() + LEASE_MS), limit],
    ));
    return rows.map((row) => ({
      id: String(row.id), kind: row.kind, workspaceSid: row.workspace_sid, taskSid: row.task_sid, ref: row.ref, payload: row.payload, dueAt: row.due_at,
    }));
  }

  /** Removes a fired timer, inside the transaction that appended its outcome when there is one. */
  async remove(id: string, tx?: Transaction): Promise<void> {
    await (tx ?? this.pool).query(prepared(`DELETE FROM ${this.table} WHERE id = $1`, [id]));
  }

  /** A timer whose firing failed becomes due again for any instance at once. */
  async releaseLease(id: string): Promise<void> {
    await this.pool.query(`UPDATE ${this.table} SET lease_until = NULL WHERE id = $1`, [id]);
  }

  /** Every timer without its id and lease, in a stable order: what replay compares. */
  async snapshot(): Promise<unknown[]> {
    const { rows } = await this.pool.query(`SELECT kind, workspace_sid, task_sid, ref, payload, due_at FROM ${this.table} ORDER BY kind, task_sid, ref`);
    return rows;
  }

  async count(): Promise<number> {
    const { rows } = await this.pool.query(`SELECT count(*)::int AS n FROM ${this.table}`);
    return rows[0].n;
  }
}
