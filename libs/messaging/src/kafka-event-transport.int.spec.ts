import 'reflect-metadata';
import { Controller, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { Ctx, EventPattern, Payload } from '@nestjs/microservices';
import { EventPublisher } from './event-publisher';
import { KafkaEventContext, KafkaEventTransport } from './kafka-event-transport';
import { Collector, testConnection, uniqueTopic } from './test-support/kafka-fixture';
import { uniqueName } from '@taskrouter/testing';

const handled = new Collector<{ event: { type: string; streamId: string; data: { n: number } }; partition: number }>();
let failOnce = true;

@Controller()
class TaskEventsController {
  @EventPattern('TaskCreated')
  async onTaskCreated(@Payload() event: { type: string; streamId: string; data: { n: number } }, @Ctx() context: KafkaEventContext) {
    if (event.data.n === 1 && failOnce) {
      failOnce = false;
      throw new Error('transient failure');
    }
    handled.record({ event, partition: context.getRecord().partition });
  }
}

@Module({ controllers: [TaskEventsController] })
class TaskEventsModule {}

describe('KafkaEventTransport', () => {
  it('dispatches each event to its @EventPattern handler, in order, retrying failures and skipping unknown types', async () => {
    const connection = testConnection();
    const topic = await uniqueTopic(connection, 'nest', 2);
    const app = await NestFactory.createMicroservice(TaskEventsModule, {
      strategy: new KafkaEventTransport(connection, { groupId: uniqueName('nest'), topics: [topic], fromBeginning: true, retryBackoff: { initialMs: 10, maxMs: 10 } }),
      logger: false,
    });
    await app.listen();
    const publisher = new EventPublisher(connection);
    const event = (type: string, n: number) => ({ topic, key: 'task:1', value: JSON.stringify({ type, streamId: 'task:1', data: { n } }) });

    await publisher.publish([event('TaskCreated', 0), event('SomethingElse', 99), event('TaskCreated', 1), event('TaskCreated', 2)]);
    await handled.until((items) => items.length >= 3);
    await publisher.disconnect();
    await app.close();

    expect(failOnce).toBe(false);
    expect(handled.items.map((h) => h.event.data.n)).toEqual([0, 1, 2]);
    expect(handled.items.every((h) => h.event.type === 'TaskCreated' && h.partition === handled.items[0].partition)).toBe(true);
  });
});
