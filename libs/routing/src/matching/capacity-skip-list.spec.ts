import fc from 'fast-check';
import { CapacityLedger } from './capacity-ledger';
import { CapacitySkipList } from './capacity-skip-list';

type Operation = { kind: 'find'; from: number } | { kind: 'take'; position: number };

const scenario = fc.record({
  free: fc.array(fc.nat({ max: 2 }), { maxLength: 12 }),
  operations: fc.array(fc.oneof(
    fc.record({ kind: fc.constant('find' as const), from: fc.nat({ max: 12 }) }),
    fc.record({ kind: fc.constant('take' as const), position: fc.nat({ max: 11 }) }),
  ), { maxLength: 40 }),
  oneTaskPerWorker: fc.boolean(),
});

describe('CapacitySkipList', () => {
  it('finds what a linear scan finds while capacity is taken in any order', () => {
    fc.assert(fc.property(scenario, ({ free, operations, oneTaskPerWorker }) => {
      // Slots listed in reverse, as a ranking other than slot order would list them.
      const slots = Int32Array.from(free.map((_, i) => free.length - 1 - i));
      const ledger = CapacityLedger.empty(free.length, 2, oneTaskPerWorker);
      free.forEach((units, slot) => { ledger.setFree(slot, 0, units); ledger.setFree(slot, 1, 1); });
      const skips = new CapacitySkipList(slots, 0, ledger);
      const linear = (from: number) => {
        for (let position = from; position < slots.length; position++) if (ledger.freeOn(slots[position], 0) > 0) return position;
        return slots.length;
      };
      for (const operation of operations as Operation[]) {
        if (operation.kind === 'find') {
          expect(skips.firstWithCapacity(Math.min(operation.from, slots.length))).toBe(linear(Math.min(operation.from, slots.length)));
        } else if (operation.position < slots.length && ledger.freeOn(slots[operation.position], 0) > 0) {
          ledger.take(slots[operation.position], 0);
        }
      }
    }), { numRuns: 2_000 });
  });

  it('without multitasking, one reservation on any channel leaves the worker no capacity anywhere', () => {
    const ledger = CapacityLedger.empty(1, 2, true);
    ledger.setFree(0, 0, 2);
    ledger.setFree(0, 1, 1);
    ledger.take(0, 1);
    expect([ledger.freeOn(0, 0), ledger.freeOn(0, 1), ledger.takenOn(0, 1)]).toEqual([0, 0, 1]);
  });
});
