import 'reflect-metadata';
import { Controller, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { EventPattern, Payload } from '@nestjs/microservices';
import { uniqueName } from '@taskrouter/testing';
import { EventPublisher } from './event-publisher';
import { KafkaEventTransport } from './kafka-event-transport';
import { KeepHandlerErrors } from './keep-handler-errors';
import { Collector, testConnection, uniqueTopic } from './test-support/kafka-fixture';
import { InMemoryDeadLetters } from './test-support/in-memory-dead-letters';

type Counted = { type: string; streamId: string; data: { n: number; fail?: 'poison' | 'outage' } };
const handled = new Collector<string>();
let outagesLeft = 6;

@Controller()
class CountingController {
  @EventPattern('Counted')
  async onCounted(@Payload() event: Counted) {
    if (event.data.fail === 'poison') throw new TypeError(`cannot count ${event.streamId}`);
    if (event.data.fail === 'outage' && outagesLeft-- > 0) throw Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' });
    handled.record(`${event.streamId}:${event.data.n}`);
  }
}

@Module({ controllers: [CountingController] })
class CountingModule {}

describe('KafkaEventTransport with dead letters', () => {
  it('parks a poison event with the handler’s own error, retries an outage past the attempts, and goes on', async () => {
    const connection = testConnection();
    const topic = await uniqueTopic(connection, 'nest_dl', 1);
    const store = new InMemoryDeadLetters();
    const app = await NestFactory.createMicroservice(CountingModule, {
      strategy: new KafkaEventTransport(connection, {
        groupId: uniqueName('nest_dl'), topics: [topic], fromBeginning: true, retryBackoff: { initialMs: 10, maxMs: 10 }, deadLetters: { store, maxAttempts: 3 },
      }),
      logger: false,
    });
    app.useGlobalFilters(new KeepHandlerErrors());
    await app.listen();
    const publisher = new EventPublisher(connection);
    const event = (streamId: string, n: number, fail?: 'poison' | 'outage') => ({ topic, key: streamId, value: JSON.stringify({ type: 'Counted', streamId, data: { n, fail } }), headers: { 'event-type': 'Counted' } });

    await publisher.publish([event('task:p', 1, 'poison'), event('task:p', 2), event('task:o', 1, 'outage'), event('task:a', 1)]);
    await handled.until((items) => items.includes('task:a:1'));
    await publisher.disconnect();
    await app.close();

    expect(handled.items).toEqual(['task:o:1', 'task:a:1']);
    expect(store.letters.map((l) => [l.streamKey, l.status])).toEqual([['task:p', 'parked'], ['task:p', 'held']]);
    expect(store.letters[0].failure).toMatchObject({ attempts: 3, error: 'TypeError: cannot count task:p' });
  });
});
