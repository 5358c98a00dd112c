import { updateRecordColumns, type Column, type TableShape } from './table-shape';

/** A row as the projection writes it: column name to value (jsonb columns hold the object itself). */
export type Row = Record<string, unknown>;

/**
 * x → max(x + add, floor): the counters' updates (`reserved + 1`, `greatest(reserved - 1, 0)`)
 * all have this form, and so does any composition of them, so a batch of them on one row
 * folds into one. A null floor is no floor (SQL `greatest` ignores nulls the same way).
 */
export interface CounterChange {
  readonly add: number;
  readonly floor: number | null;
}

/** What one event does to a row it does not create: columns set to values, counters moved. */
export interface RowPatch {
  readonly set?: Row;
  readonly counters?: Readonly<Record<string, CounterChange>>;
}

/**
 * Where a row stands after the batch's events so far, seen from a database state we have
 * not read. `unknown`: the row may or may not exist; if it does, `patch` applies to it.
 * `absent`: deleted in this batch. `present`: inserted in this batch, so every later change
 * applies to values we hold.
 */
type RowState =
  | { readonly kind: 'unknown'; readonly key: Row; set: Row; counters: Record<string, CounterChange> }
  | { readonly kind: 'absent' }
  | { readonly kind: 'present'; readonly row: Row };

const ABSENT: RowState = { kind: 'absent' };

/** The statements a batch needs for one table, in the order they must run. */
export interface NetChanges {
  /** Values of the shape's `deleteBy` column. */
  readonly deletes: unknown[];
  /** Rows that may exist, as arrays in `updateRecordColumns` order: key, set mask, set values, counter moves. */
  readonly updates: unknown[][];
  readonly inserts: Row[];
}

/**
 * Folds a batch's changes to one table per row, in event order, into one net change per row:
 * an insert followed by updates becomes one insert of the final values; updates of a row we
 * have not read compose into one update; a delete drops whatever came before it.
 *
 * Applied as DELETE, then UPDATE, then INSERT, the net changes leave the table as the events
 * applied one by one would: the three touch disjoint rows except where a delete precedes an
 * insert of the same key (which the order keeps), and an update never creates a row, so a
 * row deleted earlier in the batch stays deleted. Inserting a key that exists fails as it would
 * have one event at a time, unless the batch deletes it again (no log holds that: its append
 * failed on the insert).
 */
export class RowChanges {
  private readonly states = new Map<string, RowState>();
  /** Keys seen per `deleteBy` value, when rows are deleted by a column other than their key. */
  private readonly keysByDeleteValue = new Map<unknown, Set<string>>();
  private readonly deleted = new Set<unknown>();
  private readonly deletesByKey: boolean;
  private readonly updateColumns: readonly Column[];

  constructor(readonly shape: TableShape) {
    this.deletesByKey = shape.key.length === 1 && shape.deleteBy === shape.key[0].name;
    this.updateColumns = updateRecordColumns(shape);
  }

  /** Takes the row over: handlers build a fresh one per event. */
  insert(row: Row): void {
    const key = this.keyOf(row);
    const state = this.states.get(key);
    // One event at a time, this insert would hit the row inserted earlier in the batch.
    if (state?.kind === 'present') throw new Error(`duplicate key value violates the primary key of ${this.shape.table}: ${key}`);
    this.remember(key, row);
    this.states.set(key, { kind: 'present', row });
  }

  /** Takes the patch's objects over, as `insert` takes its row (its counter changes are only read). */
  update(key: Row, patch: RowPatch): void {
    const id = this.keyOf(key);
    const state = this.states.get(id);
    if (state === undefined) {
      this.remember(id, key);
      this.states.set(id, { kind: 'unknown', key, set: (patch.set ?? {}) as Row, counters: (patch.counters ?? {}) as Record<string, CounterChange> });
    } else if (state.kind === 'present') {
      applyPatch(state.row, patch);
    } else if (state.kind === 'unknown') {
      if (patch.set) Object.assign(state.set, patch.set);
      if (patch.counters) for (const column in patch.counters) state.counters[column] = composeCounters(state.counters[column], patch.counters[column]);
    }
    // absent: an UPDATE of a deleted row changes nothing.
  }

  /** Deletes every row whose `deleteBy` column holds `value`. */
  delete(value: unknown): void {
    this.deleted.add(value);
    if (this.deletesByKey) {
      this.states.set(this.keyOf({ [this.shape.key[0].name]: value }), ABSENT);
      return;
    }
    // Rows of this value not seen yet need nothing: their later updates run after the DELETE.
    for (const key of this.keysByDeleteValue.get(value) ?? []) this.states.set(key, ABSENT);
  }

  /** The row's values if this batch inserted it (and did not delete it since). */
  known(key: Row): Row | undefined {
    const state = this.states.get(this.keyOf(key));
    return state?.kind === 'present' ? state.row : undefined;
  }

  netChanges(): NetChanges {
    const updates: Array<[string, unknown[]]> = [];
    const inserts: Row[] = [];
    for (const [key, state] of this.states) {
      if (state.kind === 'present') inserts.push(state.row);
      else if (state.kind === 'unknown') {
        const update = this.updateRecord(state);
        if (update) updates.push([key, update]);
      }
    }
    // Rows locked in key order: two transactions updating the same rows cannot deadlock on them.
    updates.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return { deletes: [...this.deleted], updates: updates.map(([, row]) => row), inserts };
  }

  private updateRecord(state: Extract<RowState, { kind: 'unknown' }>): unknown[] | undefined {
    const record: Row = { ...state.key };
    let mask = 0;
    this.shape.settable.forEach((column, bit) => {
      if (!(column.name in state.set)) return;
      mask |= 1 << bit;
      record[column.name] = state.set[column.name];
    });
    let moved = false;
    for (const column of this.shape.counters) {
      const change = state.counters[column.name];
      if (!change) continue;
      moved = true;
      record[`${column.name}_add`] = change.add;
      record[`${column.name}_floor`] = change.floor;
    }
    if (mask === 0 && !moved) return undefined;
    record.set_mask = mask;
    return this.updateColumns.map((c) => record[c.name] ?? null);
  }

  private keyOf(row: Row): string {
    const { key } = this.shape;
    // Two columns (worker channels) are joined by hand: no array to build per event.
    if (key.length === 1) return String(row[key[0].name]);
    if (key.length === 2) return `${String(row[key[0].name])}\u0000${String(row[key[1].name])}`;
    return key.map((column) => String(row[column.name])).join('\u0000');
  }

  private remember(key: string, row: Row): void {
    if (this.deletesByKey || this.shape.deleteBy === undefined) return;
    const value = row[this.shape.deleteBy];
    let keys = this.keysByDeleteValue.get(value);
    if (!keys) this.keysByDeleteValue.set(value, (keys = new Set()));
    keys.add(key);
  }
}

function applyPatch(row: Row, patch: RowPatch): void {
  if (patch.set) Object.assign(row, patch.set);
  if (!patch.counters) return;
  for (const column in patch.counters) {
    const change = patch.counters[column];
    const moved = (row[column] as number) + change.add;
    row[column] = change.floor === null ? moved : Math.max(moved, change.floor);
  }
}

/** `second` after `first`: max(max(x + a1, f1) + a2, f2) = max(x + a1 + a2, max(f1 + a2, f2)). */
export function composeCounters(first: CounterChange | undefined, second: CounterChange): CounterChange {
  if (!first) return second;
  const carried = first.floor === null ? null : first.floor + second.add;
  const floor = carried === null ? second.floor : second.floor === null ? carried : Math.max(carried, second.floor);
  return { add: first.add + second.add, floor };
}
