import { DeadLetterCounters } from './dead-letter-counters';

describe('DeadLetterCounters', () => {
  it('counts per consumer and in total', () => {
    const counters = new DeadLetterCounters();
    expect(counters.count('a', 'parked')).toBe(1);
    expect(counters.count('a', 'parked')).toBe(2);
    counters.count('b', 'held');

    expect(counters.snapshot()).toEqual({
      total: { parked: 2, held: 1, retried: 0, reparked: 0 },
      byConsumer: { a: { parked: 2, held: 0, retried: 0, reparked: 0 }, b: { parked: 0, held: 1, retried: 0, reparked: 0 } },
    });
  });

  it('hands out copies', () => {
    const counters = new DeadLetterCounters();
    counters.count('a', 'retried');
    counters.snapshot().byConsumer.a.retried = 99;
    expect(counters.snapshot().byConsumer.a.retried).toBe(1);
  });
});
