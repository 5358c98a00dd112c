import type { QueryConfig } from 'pg';
import type { Transaction } from './postgres-event-store';

let cursors = 0;

/**
 * A server-side cursor over one query in an open transaction, read in pages: the transaction's
 * snapshot fixes what it sees, and Postgres walks the query once instead of finding where each
 * page starts again (as pages by checkpoint must). Rows come as arrays (rowMode 'array'), so pg
 * builds no keyed object per row; `toItem` makes them what the caller reads.
 */
export class SnapshotCursor<T> {
  private closed = false;

  private constructor(
    private readonly tx: Transaction,
    private readonly name: string,
    private readonly toItem: (row: unknown[]) => T,
  ) {}

  /** Declares the cursor in `tx` (which must stay open while it is read). */
  static async open<T>(tx: Transaction, query: QueryConfig, toItem: (row: unknown[]) => T): Promise<SnapshotCursor<T>> {
    const name = `snapshot_cursor_${++cursors}`;
    await tx.query({ text: `DECLARE ${name} NO SCROLL CURSOR FOR ${query.text}`, values: query.values });
    return new SnapshotCursor(tx, name, toItem);
  }

  /** Up to `limit` next rows; none once the query is exhausted. */
  async read(limit: number): Promise<T[]> {
    if (this.closed) return [];
    const { rows } = await this.tx.query<unknown[]>({ text: `FETCH FORWARD ${Math.max(1, Math.floor(limit))} FROM ${this.name}`, rowMode: 'array' });
    return rows.map(this.toItem);
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.tx.query(`CLOSE ${this.name}`);
  }
}
