import fc from 'fast-check';
import { composeCounters, RowChanges, type CounterChange, type NetChanges, type Row, type RowPatch } from './row-changes';
import { column, updateRecordColumns, type TableShape } from './table-shape';

// A table keyed by (owner, name) and deleted by owner, like rm_worker_channels.
const shape: TableShape = {
  table: 'rows',
  key: [column('owner', 'text'), column('name', 'text')],
  columns: [column('owner', 'text'), column('name', 'text'), column('label', 'text'), column('count', 'int')],
  settable: [column('label', 'text')],
  counters: [column('count', 'int')],
  deleteBy: 'owner',
};

type Op =
  | { kind: 'insert'; owner: string; name: string; label: string; count: number }
  | { kind: 'update'; owner: string; name: string; label?: string; counter?: CounterChange }
  | { kind: 'delete'; owner: string };

const keyOf = (r: { owner: unknown; name: unknown }) => `${r.owner}/${r.name}`;
const move = (x: number, c: CounterChange) => (c.floor === null ? x + c.add : Math.max(x + c.add, c.floor));
const patchOf = (op: Extract<Op, { kind: 'update' }>): RowPatch => ({
  set: op.label === undefined ? {} : { label: op.label },
  counters: op.counter ? { count: op.counter } : {},
});

/** The statements' effect, as SQL would apply them: DELETE, then UPDATE of existing rows, then INSERT. */
function applyNet(table: Map<string, Row>, net: NetChanges): void {
  for (const [key, row] of table) if (net.deletes.includes(row.owner)) table.delete(key);
  const names = updateRecordColumns(shape).map((c) => c.name);
  for (const values of net.updates) {
    const update: Row = Object.fromEntries(names.map((name, i) => [name, values[i]]));
    const row = table.get(keyOf(update as { owner: string; name: string }));
    if (!row) continue;
    if (((update.set_mask as number) & 1) !== 0) row.label = update.label;
    row.count = Math.max((row.count as number) + ((update.count_add as number | undefined) ?? 0), (update.count_floor as number | null | undefined) ?? -Infinity);
  }
  for (const insert of net.inserts) {
    if (table.has(keyOf(insert as { owner: string; name: string }))) throw new Error('duplicate');
    table.set(keyOf(insert as { owner: string; name: string }), { ...insert });
  }
}

/** One event at a time: the reference. */
function applyOne(table: Map<string, Row>, op: Op): void {
  if (op.kind === 'delete') {
    for (const [key, row] of table) if (row.owner === op.owner) table.delete(key);
  } else if (op.kind === 'insert') {
    if (table.has(keyOf(op))) throw new Error('duplicate');
    table.set(keyOf(op), { owner: op.owner, name: op.name, label: op.label, count: op.count });
  } else {
    const row = table.get(keyOf(op));
    if (!row) return;
    if (op.label !== undefined) row.label = op.label;
    if (op.counter) row.count = move(row.count as number, op.counter);
  }
}

const owners = fc.constantFrom('a', 'b');
const names = fc.constantFrom('x', 'y', 'z');
const counter = fc.record({ add: fc.integer({ min: -3, max: 3 }), floor: fc.option(fc.integer({ min: -2, max: 2 }), { nil: null }) });
const op: fc.Arbitrary<Op> = fc.oneof(
  fc.record({ kind: fc.constant('insert' as const), owner: owners, name: names, label: fc.constantFrom('p', 'q'), count: fc.integer({ min: 0, max: 5 }) }),
  fc.record({ kind: fc.constant('update' as const), owner: owners, name: names, label: fc.option(fc.constantFrom('r', 's'), { nil: undefined }), counter: fc.option(counter, { nil: undefined }) }),
  fc.record({ kind: fc.constant('delete' as const), owner: owners }),
);
const initialRows = fc.uniqueArray(fc.record({ owner: owners, name: names, label: fc.constantFrom('i', 'j'), count: fc.integer({ min: 0, max: 5 }) }), { selector: keyOf });

describe('folding a batch of row changes', () => {
  it('composes counter moves: (second after first)(x) = second(first(x))', () => {
    fc.assert(fc.property(counter, counter, fc.integer({ min: -10, max: 10 }), (first, second, x) => {
      expect(move(x, composeCounters(first, second))).toBe(move(move(x, first), second));
    }));
  });

  // Where one at a time fails (an insert of a key that exists), the append that wrote those events
  // failed the same way, so no log holds them: the fold may then fail too, or not.
  it('leaves any starting table as the changes applied one at a time would, wherever those succeed', () => {
    fc.assert(fc.property(initialRows, fc.array(op, { maxLength: 25 }), (initial, ops) => {
      const start = () => new Map(initial.map((r) => [keyOf(r), { ...r } as Row]));
      const reference = start();
      let referenceFailed = false;
      try {
        for (const o of ops) applyOne(reference, o);
      } catch {
        referenceFailed = true;
      }

      const folded = start();
      let foldFailed = false;
      try {
        const changes = new RowChanges(shape);
        for (const o of ops) {
          if (o.kind === 'insert') changes.insert({ owner: o.owner, name: o.name, label: o.label, count: o.count });
          else if (o.kind === 'update') changes.update({ owner: o.owner, name: o.name }, patchOf(o));
          else changes.delete(o.owner);
        }
        applyNet(folded, changes.netChanges());
      } catch {
        foldFailed = true;
      }
      if (referenceFailed) return;
      expect(foldFailed).toBe(false);
      expect(new Map([...folded].sort())).toEqual(new Map([...reference].sort()));
    }), { numRuns: 2_000 });
  });
});
