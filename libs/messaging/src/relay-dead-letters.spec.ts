import { KafkaJSConnectionError, KafkaJSNumberOfRetriesExceeded, KafkaJSProtocolError } from 'kafkajs';
import type { StoredEventLike } from './committed-event-source';
import { DeadLetterCounters } from './dead-letter-counters';
import type { RecordPublisher } from './event-publisher';
import type { OutgoingRecord } from './messages';
import { eventRecord } from './outbox-relay';
import { RelayDeadLetters, type RelayItem } from './relay-dead-letters';
import { collectingLogger } from './test-support/kafka-fixture';
import { InMemoryDeadLetters } from './test-support/in-memory-dead-letters';

const tooLarge = () => new KafkaJSProtocolError({ type: 'MESSAGE_TOO_LARGE', code: 10, retriable: false, message: 'message too large' } as never);
const brokerDown = () => new KafkaJSNumberOfRetriesExceeded(new KafkaJSConnectionError('Connection error: connect ECONNREFUSED'), { retryCount: 5, retryTime: 10 });

/** A broker that refuses every request holding a record marked BIG, or is down altogether. */
class FakeBroker implements RecordPublisher {
  readonly published: OutgoingRecord[] = [];
  requests = 0;
  down = false;
  acceptsBig = false;

  async publish(records: OutgoingRecord[]): Promise<void> {
    this.requests++;
    if (this.down) throw brokerDown();
    if (!this.acceptsBig && records.some((r) => r.value.includes('BIG'))) throw tooLarge();
    this.published.push(...records);
  }

  versionsOf(streamId: string): number[] {
    return this.published.filter((r) => r.key === streamId).map((r) => JSON.parse(r.value).streamVersion);
  }
}

let position = 0;
const event = (streamId: string, streamVersion: number, big = false): RelayItem => {
  const stored: StoredEventLike & { data: unknown } = { transactionId: '900', position: String(++position), streamId, streamVersion, type: 'Counted', data: big ? 'BIG' : 'ok' };
  return { event: stored, record: eventRecord('events', stored) };
};

describe('RelayDeadLetters', () => {
  const setup = () => {
    const store = new InMemoryDeadLetters();
    const broker = new FakeBroker();
    const logger = collectingLogger();
    const counters = new DeadLetterCounters();
    const relay = new RelayDeadLetters('relay', { store, maxAttempts: 3, retryPollMs: 0, counters }, broker, logger, { initialMs: 1, maxMs: 1 });
    return { store, broker, logger, counters, relay };
  };

  it('publishes a round in one request when Kafka takes it', async () => {
    const { broker, relay, store } = setup();
    await relay.publish([event('task:a', 1), event('task:b', 1)]);

    expect(broker.requests).toBe(1);
    expect(broker.published).toHaveLength(2);
    expect(store.letters).toEqual([]);
  });

  it('parks a record Kafka refuses after its attempts, holds its stream behind it and publishes the rest', async () => {
    const { broker, relay, store, logger, counters } = setup();
    await relay.publish([event('task:a', 1), event('task:poison', 1, true), event('task:poison', 2), event('task:b', 1)]);
    await relay.publish([event('task:poison', 3), event('task:a', 2)]);

    expect(broker.versionsOf('task:a')).toEqual([1, 2]);
    expect(broker.versionsOf('task:b')).toEqual([1]);
    expect(broker.versionsOf('task:poison')).toEqual([]);
    expect(store.letters.map((l) => [l.streamKey, l.streamSequence, l.status, l.partition])).toEqual([
      ['task:poison', '1', 'parked', null], ['task:poison', '2', 'held', null], ['task:poison', '3', 'held', null],
    ]);
    expect(store.letters[0].failure).toMatchObject({ attempts: 3, error: expect.stringContaining('message too large') });
    expect(store.letters[0]).toMatchObject({ consumer: 'relay', topic: 'events', eventType: 'Counted', sourceRef: expect.stringMatching(/^log\/\d+$/) });
    expect(logger.entries.filter((e) => e.level === 'error' && e.source === 'DeadLetters')).toHaveLength(1);
    expect(counters.snapshot().total).toMatchObject({ parked: 1, held: 2 });
  });

  it('throws a broker outage without parking anything', async () => {
    const { broker, relay, store } = setup();
    broker.down = true;

    await expect(relay.publish([event('task:a', 1), event('task:b', 1, true)])).rejects.toThrow('ECONNREFUSED');
    expect(store.letters).toEqual([]);
  });

  it('throws an outage that begins while it publishes record by record, keeping what it parked', async () => {
    const { broker, relay, store } = setup();
    const big = event('task:poison', 1, true);
    const after = event('task:c', 1);
    const publish = broker.publish.bind(broker);
    broker.publish = async (records) => {
      if (records.length === 1 && records[0] === after.record) broker.down = true;
      return publish(records);
    };

    await expect(relay.publish([big, after])).rejects.toThrow('ECONNREFUSED');
    expect(store.letters.map((l) => l.streamKey)).toEqual(['task:poison']);
  });

  it('reading the same round again (after a crash) neither parks nor holds twice', async () => {
    const { relay, store } = setup();
    const round = [event('task:poison', 1, true), event('task:poison', 2)];
    await relay.publish(round);
    await relay.publish(round);

    expect(store.letters.map((l) => l.status)).toEqual(['parked', 'held']);
  });

  it('publishes marked letters in stream order once Kafka takes them, then lets the stream through again', async () => {
    const { broker, relay, store, counters } = setup();
    await relay.publish([event('task:poison', 1, true), event('task:poison', 2)]);
    await relay.publish([event('task:poison', 3)]);
    broker.acceptsBig = true;
    store.markStream('relay', 'task:poison');

    await relay.retryMarked();
    await relay.publish([event('task:poison', 4)]);

    expect(broker.versionsOf('task:poison')).toEqual([1, 2, 3, 4]);
    expect(store.letters).toEqual([]);
    expect(counters.snapshot().total.retried).toBe(3);
  });

  it('parks a retried letter again when Kafka still refuses it, unmarking its stream', async () => {
    const { broker, relay, store } = setup();
    await relay.publish([event('task:poison', 1, true), event('task:poison', 2)]);
    store.markStream('relay', 'task:poison');

    await relay.retryMarked();

    expect(broker.versionsOf('task:poison')).toEqual([]);
    expect(store.letters.map((l) => [l.status, l.marked])).toEqual([['parked', false], ['held', false]]);
  });

  it('an event of the stream that comes before its dead letter (re-read after a crash) is published, not held', async () => {
    const { broker, relay, store } = setup();
    const first = event('task:s', 1);
    await relay.publish([first, event('task:s', 2, true)]);
    await relay.publish([first]);

    expect(broker.versionsOf('task:s')).toEqual([1, 1]);
    expect(store.letters).toHaveLength(1);
  });
});
