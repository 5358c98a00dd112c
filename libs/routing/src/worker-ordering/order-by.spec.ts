import fc from 'fast-check';
import { OrderByError, parseOrderBy, rankWorkers, type RankableWorker } from './order-by';

const worker = (workerSid: string, attributes: Record<string, unknown>, idleSince = 0): RankableWorker => ({ workerSid, attributes, idleSince });
const names = (workers: readonly RankableWorker[]) => workers.map((w) => w.workerSid);
const rank = (workers: RankableWorker[], orderBy: string) => names(rankWorkers(workers, parseOrderBy(orderBy)));

describe('parsing order_by', () => {
  it('reads comma-separated clauses with their directions', () => {
    expect(parseOrderBy('worker.finance ASC, worker.support DESC')).toEqual([
      { path: ['finance'], descending: false },
      { path: ['support'], descending: true },
    ]);
  });

  it('defaults to ascending and reads the direction in any case', () => {
    expect(parseOrderBy('worker.english_level, worker.level desc')).toEqual([
      { path: ['english_level'], descending: false },
      { path: ['level'], descending: true },
    ]);
  });

  it('reads nested attribute paths', () => {
    expect(parseOrderBy('worker.routing.levels.payments DESC')).toEqual([{ path: ['routing', 'levels', 'payments'], descending: true }]);
  });

  it.each(['finance ASC', 'worker.finance UP', 'task.priority ASC', 'worker.', 'worker.finance ASC DESC'])('refuses %j', (source) => {
    expect(() => parseOrderBy(source)).toThrow(OrderByError);
  });
});

describe('ranking workers by order_by (the documented Alice and Bob example)', () => {
  it('orders Bob {finance 10, support 5} before Alice {finance 10, support 8} with worker.finance ASC, worker.support ASC', () => {
    const alice = worker('Alice', { finance: 10, support: 8 });
    const bob = worker('Bob', { finance: 10, support: 5 });
    expect(rank([alice, bob], 'worker.finance ASC, worker.support ASC')).toEqual(['Bob', 'Alice']);
  });

  it('orders Alice before Bob when Bob lacks support', () => {
    const alice = worker('Alice', { finance: 10, support: 8 });
    const bob = worker('Bob', { finance: 10 });
    expect(rank([bob, alice], 'worker.finance ASC, worker.support ASC')).toEqual(['Alice', 'Bob']);
  });

  it('orders a worker without the attribute last in descending order too', () => {
    const alice = worker('Alice', { finance: 10, support: 8 });
    const bob = worker('Bob', { finance: 10 });
    expect(rank([bob, alice], 'worker.finance DESC, worker.support DESC')).toEqual(['Alice', 'Bob']);
  });

  it('orders by the first clause before the second', () => {
    const alice = worker('Alice', { finance: 9, support: 1 });
    const bob = worker('Bob', { finance: 10, support: 0 });
    expect(rank([bob, alice], 'worker.finance DESC, worker.support DESC')).toEqual(['Bob', 'Alice']);
    expect(rank([bob, alice], 'worker.finance ASC, worker.support DESC')).toEqual(['Alice', 'Bob']);
  });

  it('breaks a tie by the longest idle worker', () => {
    const sinceLongAgo = worker('Carol', { finance: 10 }, 1_000);
    const sinceRecently = worker('Dave', { finance: 10 }, 5_000);
    expect(rank([sinceRecently, sinceLongAgo], 'worker.finance ASC')).toEqual(['Carol', 'Dave']);
  });

  it('ranks by longest idle alone without order_by', () => {
    expect(names(rankWorkers([worker('B', {}, 30), worker('A', {}, 20), worker('C', {}, 10)], []))).toEqual(['C', 'A', 'B']);
  });

  it('ignores a clause on an attribute no worker holds as an integer', () => {
    const workers = [worker('B', { team: 'red' }, 20), worker('A', { team: 'blue' }, 10)];
    expect(rank(workers, 'worker.team ASC')).toEqual(['A', 'B']);
  });

  it('reads nested integer attributes', () => {
    const workers = [worker('Low', { routing: { levels: { payments: 2 } } }), worker('High', { routing: { levels: { payments: 5 } } })];
    expect(rank(workers, 'worker.routing.levels.payments DESC')).toEqual(['High', 'Low']);
  });

  it('does not reorder the array it was given', () => {
    const workers = [worker('B', {}, 2), worker('A', {}, 1)];
    rankWorkers(workers, []);
    expect(names(workers)).toEqual(['B', 'A']);
  });
});

describe('ranking, for any workers', () => {
  const level = fc.option(fc.integer({ min: -5, max: 5 }), { nil: undefined });
  const workers = fc.uniqueArray(
    fc.record({ workerSid: fc.string({ minLength: 1, maxLength: 4 }), finance: level, support: level, idleSince: fc.nat({ max: 20 }) }),
    { selector: (w) => w.workerSid, maxLength: 8 },
  ).map((list) => list.map(({ workerSid, finance, support, idleSince }) => worker(workerSid, { ...(finance === undefined ? {} : { finance }), ...(support === undefined ? {} : { support }) }, idleSince)));
  const orderBy = fc.tuple(fc.constantFrom('ASC', 'DESC'), fc.constantFrom('ASC', 'DESC')).map(([a, b]) => `worker.finance ${a}, worker.support ${b}`);

  it('returns the same workers, in an order that does not depend on the order they came in', () => {
    fc.assert(fc.property(workers, orderBy, (list, source) => {
      const ranked = rank(list, source);
      expect([...ranked].sort()).toEqual(names(list).sort());
      expect(rank([...list].reverse(), source)).toEqual(ranked);
    }));
  });

  it('puts every worker holding the first attribute before every worker without it, in both directions', () => {
    fc.assert(fc.property(workers, orderBy, (list, source) => {
      const ranked = rankWorkers(list, parseOrderBy(source));
      const holds = ranked.map((w) => w.attributes['finance'] !== undefined);
      expect(holds).toEqual([...holds].sort((a, b) => Number(b) - Number(a)));
    }));
  });
});
