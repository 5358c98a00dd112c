import type { AttemptOutcome } from './bounded-attempts';
import { ConsumerDeadLetters } from './consumer-dead-letters';
import { DeadLetterCounters } from './dead-letter-counters';
import type { ConsumedRecord } from './messages';
import { collectingLogger } from './test-support/kafka-fixture';
import { InMemoryDeadLetters } from './test-support/in-memory-dead-letters';

const record = (key: string | null, offset: number, partition = 0): ConsumedRecord => ({
  topic: 'events', partition, offset: String(offset), key, value: JSON.stringify({ key, offset }), headers: { 'event-type': 'Counted' },
});
const failure = { error: 'Error: poison', attempts: 5, firstFailedAt: new Date(0) };

describe('ConsumerDeadLetters', () => {
  const owned = () => true;
  const setup = async () => {
    const store = new InMemoryDeadLetters();
    const logger = collectingLogger();
    const counters = new DeadLetterCounters();
    const deadLetters = new ConsumerDeadLetters('group', { store, retryPollMs: 10, counters }, logger);
    const signal = new AbortController().signal;
    deadLetters.reloadKeys(signal);
    await deadLetters.keysReady();
    deadLetters.assigned({ events: [0] });
    return { store, logger, counters, deadLetters, signal };
  };

  it('asks the table nothing for a key with no dead letter', async () => {
    const { store, deadLetters, signal } = await setup();
    const spy = jest.spyOn(store, 'holdIfBehind');
    expect(await deadLetters.holdIfBehind(record('task:a', 1), owned, signal)).toBe(false);
    expect(spy).not.toHaveBeenCalled();
  });

  it('holds the later records of a parked key, not those before it, and forgets the key once it is clear', async () => {
    const { store, deadLetters, signal, logger, counters } = await setup();
    expect(await deadLetters.park(record('task:p', 5), failure, owned, signal)).toBe(true);

    expect(await deadLetters.holdIfBehind(record('task:p', 7), owned, signal)).toBe(true);
    expect(await deadLetters.holdIfBehind(record('task:p', 3), owned, signal)).toBe(false);
    expect(await deadLetters.holdIfBehind(record('task:p', 5), owned, signal)).toBe(true);
    expect(await deadLetters.holdIfBehind(record('task:other', 8), owned, signal)).toBe(false);
    expect(store.letters.map((l) => [l.streamSequence, l.status])).toEqual([['5', 'parked'], ['7', 'held']]);
    expect(logger.entries.filter((e) => e.level === 'error')).toHaveLength(1);
    expect(counters.snapshot().total).toMatchObject({ parked: 1, held: 1 });

    store.letters.splice(0);
    const spy = jest.spyOn(store, 'holdIfBehind');
    expect(await deadLetters.holdIfBehind(record('task:p', 9), owned, signal)).toBe(false);
    expect(await deadLetters.holdIfBehind(record('task:p', 10), owned, signal)).toBe(false);
    expect(spy).toHaveBeenCalledTimes(1);
  });

  it('a copy the relay published again at a later offset is the parked event, not a record held behind it', async () => {
    const { store, deadLetters, signal } = await setup();
    const published = (offset: number): ConsumedRecord => ({ ...record('task:p', offset), headers: { 'event-type': 'Counted', 'event-position': '41' } });
    await deadLetters.park(published(5), failure, owned, signal);

    expect(await deadLetters.holdIfBehind(published(9), owned, signal)).toBe(true);
    expect(await deadLetters.holdIfBehind(record('task:p', 10), owned, signal)).toBe(true);
    expect(store.letters.map((l) => [l.streamSequence, l.status, l.sourceRef])).toEqual([
      ['5', 'parked', 'events/log/41'], ['10', 'held', 'events/0/10'],
    ]);
  });

  it('a redelivered parked record is not parked or alarmed twice', async () => {
    const { store, deadLetters, signal, logger } = await setup();
    await deadLetters.park(record(null, 5), failure, owned, signal);
    await deadLetters.park(record(null, 5), failure, owned, signal);

    expect(store.letters).toHaveLength(1);
    expect(logger.entries.filter((e) => e.level === 'error')).toHaveLength(1);
  });

  it('loads the keys parked before it started', async () => {
    const store = new InMemoryDeadLetters();
    await store.park({ consumer: 'group', topic: 'events', partition: 0, offset: '4', sourceRef: 'events/0/4', streamKey: 'task:old', streamSequence: '4', eventType: null, value: null, headers: {} }, failure);
    const deadLetters = new ConsumerDeadLetters('group', { store }, collectingLogger());
    const signal = new AbortController().signal;
    deadLetters.reloadKeys(signal);
    await deadLetters.keysReady();

    expect(await deadLetters.holdIfBehind(record('task:old', 6), owned, signal)).toBe(true);
  });

  it('keeps trying the table while it does not answer', async () => {
    const { store, deadLetters, signal, logger } = await setup();
    const park = store.park.bind(store);
    let failures = 1;
    store.park = async (...args) => {
      if (failures-- > 0) throw new Error('connect ECONNREFUSED');
      return park(...args);
    };
    let heartbeats = 0;
    expect(await deadLetters.park(record('task:p', 1), failure, owned, signal, async () => void heartbeats++)).toBe(true);
    expect(store.letters).toHaveLength(1);
    expect(logger.entries.some((e) => e.message.startsWith('Could not park a record'))).toBe(true);
    // The member kept its partitions while it waited: one heartbeat after the failed try.
    expect(heartbeats).toBe(1);
  });

  it('retries a marked stream in order, parked first, then held, and deletes what was handled', async () => {
    const { store, deadLetters, signal, counters } = await setup();
    await deadLetters.park(record('task:p', 5), failure, owned, signal);
    await deadLetters.holdIfBehind(record('task:p', 6), owned, signal);
    await deadLetters.holdIfBehind(record('task:p', 8), owned, signal);
    store.markStream('group', 'task:p');
    const handled: string[] = [];

    await deadLetters.retryMarked(async (r): Promise<AttemptOutcome> => {
      handled.push(r.offset);
      return { kind: 'done' };
    }, signal);

    expect(handled).toEqual(['5', '6', '8']);
    expect(store.letters).toEqual([]);
    expect(counters.snapshot().total.retried).toBe(3);
  });

  it('parks a retried record again when it still fails, leaving the rest of its stream held and unmarked', async () => {
    const { store, deadLetters, signal, logger } = await setup();
    await deadLetters.park(record('task:p', 5), failure, owned, signal);
    await deadLetters.holdIfBehind(record('task:p', 6), owned, signal);
    store.markStream('group', 'task:p');

    await deadLetters.retryMarked(async (r): Promise<AttemptOutcome> => (r.offset === '5' ? { kind: 'done' } : { kind: 'failed', failure }), signal);

    expect(store.letters.map((l) => [l.streamSequence, l.status, l.marked])).toEqual([['6', 'parked', false]]);
    expect(logger.entries.filter((e) => e.level === 'error')).toHaveLength(2);
  });

  it('leaves marked letters of partitions it does not own to their owner', async () => {
    const { store, deadLetters, signal } = await setup();
    await deadLetters.park(record('task:p', 5, 3), failure, owned, signal);
    store.markStream('group', 'task:p');
    const attempt = jest.fn();

    await deadLetters.retryMarked(attempt, signal);
    deadLetters.revoked();
    await deadLetters.park(record('task:q', 5, 0), failure, owned, signal);
    store.markStream('group', 'task:q');
    await deadLetters.retryMarked(attempt, signal);

    expect(attempt).not.toHaveBeenCalled();
    expect(store.letters).toHaveLength(2);
  });
});
