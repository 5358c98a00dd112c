import { prepared } from '@taskrouter/event-store';
import type { Pool, QueryConfig } from 'pg';
import { TimerChanges } from './timer-changes';

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

/** Deadlines in Postgres: scheduling and cancelling are idempotent (a redelivered event changes nothing), claiming is exclusive. */
export class TimerStore {
  /** Named once: every batch's changes take this one statement, prepared once per connection. */
  private readonly applyStatement: QueryConfig;

  constructor(private readonly pool: Pool, private readonly schema: string) {
    this.applyStatement = prepared(
      `WITH scheduled AS (
         SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::jsonb[], $6::timestamptz[]) AS s (kind, workspace_sid, task_sid, ref, payload, due_at)
       ), cancelled AS (
         DELETE FROM ${this.table} t
         WHERE (t.task_sid = ANY($7::text[]) OR (t.kind = 'reservation' AND (t.task_sid, t.ref) IN (SELECT * FROM unnest($8::text[], $9::text[]))))
           AND NOT EXISTS (SELECT 1 FROM scheduled s WHERE s.kind = t.kind AND s.task_sid = t.task_sid AND s.ref = t.ref)
       )
       INSERT INTO ${this.table} (kind, workspace_sid, task_sid, ref, payload, due_at) SELECT * FROM scheduled
       ON CONFLICT (kind, task_sid, ref) DO NOTHING`,
      [],
    );
  }

  private get table(): string {
    return `"${this.schema}".timers`;
  }

  async schedule(timer: NewTimer): Promise<void> {
    await this.apply(new TimerChanges().schedule(timer));
  }

  /**
   * Applies a run of changes in one statement (one round trip, whatever their number): the
   * cancelled timers go, except any with the identity of a timer scheduled after its cancel,
   * and the scheduled ones are added unless they exist.
   */
  async apply(changes: TimerChanges): Promise<void> {
    if (changes.isEmpty) return;
    const timers = changes.scheduled();
    const reservations = changes.cancelledReservations();
    await this.pool.query({
      ...this.applyStatement,
      values: [
        timers.map((t) => t.kind), timers.map((t) => t.workspaceSid), timers.map((t) => t.taskSid), timers.map((t) => t.ref),
        timers.map((t) => JSON.stringify(t.payload)), timers.map((t) => t.dueAt),
        changes.cancelledTasks(), reservations.map((r) => r.taskSid), reservations.map((r) => r.reservationSid),
      ],
    });
  }

  /**
   * Due timers for this instance alone: skipped if another instance holds them, leased for a
   * while. In due order (an UPDATE returns its rows in no order of its own): a task's deadlines
   * are decided in the order they fell due.
   */
  async claimDue(now: Date, limit: number): Promise<Timer[]> {
    const { rows } = await this.pool.query(prepared(
      `UPDATE ${this.table} SET lease_until = $2 WHERE id IN (
         SELECT id FROM ${this.table} WHERE due_at <= $1 AND (lease_until IS NULL OR lease_until < $1)
         ORDER BY due_at LIMIT $3 FOR UPDATE SKIP LOCKED)
       RETURNING id, kind, workspace_sid, task_sid, ref, payload, due_at`,
      [now, new Date(now.getTime() + LEASE_MS), limit],
    ));
    const claimed: Timer[] = rows.map((row) => ({
      id: String(row.id), kind: row.kind, workspaceSid: row.workspace_sid, taskSid: row.task_sid, ref: row.ref, payload: row.payload, dueAt: row.due_at,
    }));
    return claimed.sort((a, b) => a.dueAt.getTime() - b.dueAt.getTime() || Number(BigInt(a.id) - BigInt(b.id)));
  }

  /** Removes the timers a tick handled (fired, or deciding nothing), in one statement. */
  async removeAll(ids: readonly string[]): Promise<void> {
    if (ids.length === 0) return;
    await this.pool.query(prepared(`DELETE FROM ${this.table} WHERE id = ANY($1::bigint[])`, [ids]));
  }

  /** Timers whose firing failed become due again for any instance at once. */
  async releaseLeases(ids: readonly string[]): Promise<void> {
    if (ids.length === 0) return;
    await this.pool.query(prepared(`UPDATE ${this.table} SET lease_until = NULL WHERE id = ANY($1::bigint[])`, [ids]));
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
