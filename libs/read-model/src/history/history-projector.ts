import { compareCheckpoints, prepared, type GlobalCheckpoint, type Lease, type PostgresEventStore } from '@taskrouter/event-store';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Pool } from 'pg';
import { HistoryProjection } from './history-projection';
import { ensureHistoryCheckpoint, historyCheckpoint, HISTORY_PROJECTION_NAME, LOG_START as START } from './history-checkpoint';
import type { HistoryReads } from './history-reads';

export { HISTORY_PROJECTION_NAME } from './history-checkpoint';

/** The longest wait before a failed batch is tried again. */
const MAX_RETRY_MS = 30_000;


export interface HistoryProjectorOptions {
  /** Events per batch at most: a backlog (a start, a burst) is projected in batches of this many. */
  readonly batchSize?: number;
  /** How long an idle projector (or one that waits on another process's) waits before looking again. */
  readonly pollMs?: number;
  /** How long a lost lease (another process projects) waits before trying to take it. */
  readonly retryMs?: number;
  /** The longest a read waits for the history to catch up before it answers with what is there. */
  readonly settleTimeoutMs?: number;
  readonly log?: (line: string) => void;
}

/**
 * Follows the log in commit order and projects the history (history-projection.ts) in large
 * batches, each with its checkpoint in one transaction: exactly once, whatever crashes. One process
 * at a time projects (a session lease); the checkpoint row is locked first in each batch's
 * transaction and must still hold what this projector last wrote, so a projector that lost its
 * lease without knowing it can never write a batch twice, and a rebuild that locks the row
 * (history-rebuild.ts) finds the tables between two batches.
 *
 * Readers of the history ask `reached` (an event's callbacks: its Events are there) or `settled`
 * (the API's reads: everything committed before the request is there): both wake the projector,
 * and in a process that does not project they follow the checkpoint row.
 */
export class HistoryProjector implements HistoryReads {
  private readonly projection: HistoryProjection;
  private readonly batchSize: number;
  private readonly pollMs: number;
  private readonly retryMs: number;
  private readonly settleTimeoutMs: number;
  private readonly log: (line: string) => void;
  private projected: GlobalCheckpoint = START;
  private leading = false;
  private stopping = new AbortController();
  private wakeUp = new AbortController();
  private progress = new AbortController();
  private running: Promise<void> | undefined;

  constructor(private readonly pool: Pool, private readonly eventStore: PostgresEventStore, options: HistoryProjectorOptions = {}) {
    this.projection = new HistoryProjection(eventStore.schema);
    this.batchSize = options.batchSize ?? 5_000;
    this.pollMs = options.pollMs ?? 20;
    this.retryMs = options.retryMs ?? 1_000;
    this.settleTimeoutMs = options.settleTimeoutMs ?? 5_000;
    this.log = options.log ?? ((line) => process.stderr.write(`history projection: ${line}\n`));
  }

  /** Projects in the background (or stands by while another process holds the lease). */
  async start(): Promise<void> {
    if (this.running) return;
    this.stopping = new AbortController();
    await ensureHistoryCheckpoint(this.pool, this.eventStore.schema);
    this.running = this.run();
  }

  /** Finishes the batch in hand and stops. */
  async stop(): Promise<void> {
    this.stopping.abort();
    this.wakeUp.abort();
    await this.running;
    this.running = undefined;
  }

  /** How far the history is projected, as this process last knew it. */
  get checkpoint(): GlobalCheckpoint {
    return this.projected;
  }

  /** Resolves once the history holds everything up to `checkpoint` (false: it did not within the settle timeout). */
  async reached(checkpoint: GlobalCheckpoint, timeoutMs = this.settleTimeoutMs): Promise<boolean> {
    const deadline = Date.now() + timeoutMs;
    while (compareCheckpoints(this.projected, checkpoint) < 0) {
      const left = deadline - Date.now();
      if (left <= 0 || this.stopping.signal.aborted) return false;
      if (this.leading) this.wakeUp.abort();
      else await this.follow();
      if (compareCheckpoints(this.projected, checkpoint) >= 0) break;
      await pause(Math.min(this.pollMs, left), AbortSignal.any([this.progress.signal, this.stopping.signal]));
    }
    return true;
  }

  /** Resolves once the history holds every event committed before it was asked (false: not within the settle timeout). */
  async settled(): Promise<boolean> {
    const { rows } = await this.pool.query<GlobalCheckpoint>(prepared(
      `SELECT transaction_id::text AS "transactionId", position::text AS position FROM "${this.eventStore.schema}".events
       ORDER BY transaction_id DESC, position DESC LIMIT 1`,
      [],
    ));
    return rows.length === 0 || this.reached(rows[0]);
  }

  private async run(): Promise<void> {
    let failures = 0;
    while (!this.stopping.signal.aborted) {
      let lease: Lease | null = null;
      try {
        lease = await this.eventStore.tryAcquireLease(HISTORY_PROJECTION_NAME);
        if (lease) await this.projectWhileHeld(lease);
        failures = 0;
      } catch (error) {
        failures++;
        this.log(`projecting failed (${failures} in a row), resuming from the checkpoint: ${String(error)}`);
      } finally {
        this.leading = false;
        await lease?.release();
      }
      // A batch that keeps failing (a database refusing it) is tried again ever less often: at most every 30 s.
      await pause(Math.min(this.retryMs * 2 ** Math.min(failures, 10), Math.max(this.retryMs, MAX_RETRY_MS)), this.stopping.signal);
    }
  }

  private async projectWhileHeld(lease: Lease): Promise<void> {
    await this.follow();
    this.leading = true;
    while (!this.stopping.signal.aborted && lease.isHeld()) {
      // A reader arriving while we read must still wake the next wait: reset first.
      this.wakeUp = new AbortController();
      const events = await this.eventStore.readAll({ after: this.projected, limit: this.batchSize });
      if (events.length === 0) {
        await pause(this.pollMs, AbortSignal.any([this.wakeUp.signal, this.stopping.signal]));
        continue;
      }
      const last = events[events.length - 1];
      const next = { transactionId: last.transactionId, position: last.position };
      const statements = this.projection.statements(events);
      await this.eventStore.transaction(async (tx) => {
        const locked = await historyCheckpoint(tx, this.eventStore.schema, true);
        // A row deleted by hand (to project again from the start) is written anew by the batch that finds it gone.
        const found = locked ?? (compareCheckpoints(this.projected, START) === 0 ? START : undefined);
        if (!found || compareCheckpoints(found, this.projected) !== 0) {
          throw new Error(`the history's checkpoint moved under this projector (${JSON.stringify(locked)}, expected ${JSON.stringify(this.projected)})`);
        }
        for (const statement of statements) await tx.query(statement);
        await this.eventStore.saveCheckpoint(HISTORY_PROJECTION_NAME, next, tx);
      });
      this.advance(next);
    }
  }

  /** Learns the checkpoint another process (or an earlier life of this one) wrote. */
  private async follow(): Promise<void> {
    const checkpoint = (await this.eventStore.loadCheckpoint(HISTORY_PROJECTION_NAME)) ?? START;
    if (compareCheckpoints(checkpoint, this.projected) !== 0) this.advance(checkpoint);
  }

  private advance(checkpoint: GlobalCheckpoint): void {
    this.projected = checkpoint;
    const progressed = this.progress;
    this.progress = new AbortController();
    progressed.abort();
  }
}

/** Waits `ms`, or less when `signal` aborts (a wake-up, a stop): an abort ends the wait, it is no error. */
function pause(ms: number, signal: AbortSignal): Promise<void> {
  return sleep(ms, undefined, { signal }).catch(() => undefined);
}
