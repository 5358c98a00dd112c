import fc from 'fast-check';
import { WorkerSlots } from './worker-slots';

const sid = fc.nat({ max: 30 }).map((n) => `WK${n}`);
const step = fc.record({ removed: fc.array(sid, { maxLength: 4 }), added: fc.array(fc.tuple(sid, fc.nat({ max: 99 })), { maxLength: 4 }) });

describe('WorkerSlots', () => {
  it('answers as a plain map would after any sequence of versions, and leaves earlier versions as they were', () => {
    fc.assert(fc.property(fc.array(fc.tuple(sid, fc.nat({ max: 99 })), { maxLength: 30 }), fc.array(step, { maxLength: 12 }), (initial, steps) => {
      let model = new Map(initial);
      let slots = WorkerSlots.of(new Map(model));
      const history: Array<[WorkerSlots, Map<string, number>]> = [[slots, new Map(model)]];
      for (const { removed, added } of steps) {
        model = new Map(model);
        for (const workerSid of removed) model.delete(workerSid);
        for (const [workerSid, slot] of added) model.set(workerSid, slot);
        slots = slots.with(removed, added);
        history.push([slots, new Map(model)]);
      }
      for (const [version, expected] of history) {
        expect(version.size).toBe(expected.size);
        expect(new Map(version.entries())).toEqual(expected);
        for (let n = 0; n <= 30; n++) expect(version.get(`WK${n}`)).toBe(expected.get(`WK${n}`));
      }
    }));
  });
});
