import { BaseRpcContext, type CustomTransportStrategy, Server } from '@nestjs/microservices';
import { isObservable, lastValueFrom } from 'rxjs';
import { EventConsumer, type EventConsumerOptions } from './event-consumer';
import type { KafkaConnection } from './kafka-connection';
import type { ConsumedRecord } from './messages';

/** What an @EventPattern handler gets as its context: the Kafka record the event came in. */
export class KafkaEventContext extends BaseRpcContext<[ConsumedRecord]> {
  getRecord(): ConsumedRecord {
    return this.args[0];
  }
}

export type KafkaEventTransportOptions = Omit<EventConsumerOptions, 'handler'>;

/**
 * A NestJS transport that consumes the event topics and calls the @EventPattern('<type>')
 * handler of each event with the parsed stored event, awaiting it before the next event of
 * the partition. A failing handler is retried (see EventConsumer), and parked after its attempts
 * when the options carry `deadLetters`; register KeepHandlerErrors so the consumer sees the
 * handler's own error. An event type without a handler is acknowledged and skipped. Events
 * only: there is no request-response.
 */
export class KafkaEventTransport extends Server implements CustomTransportStrategy {
  private readonly consumer: EventConsumer;
  private readonly handlers = new Map<string, ReturnType<Server['getHandlerByPattern']>>();

  constructor(connection: KafkaConnection, options: KafkaEventTransportOptions) {
    super();
    this.consumer = new EventConsumer(connection, { ...options, handler: (record) => this.dispatch(record) });
  }

  async listen(callback: (error?: unknown) => void): Promise<void> {
    try {
      this.handlers.clear();
      await this.consumer.start();
      this._status$.next('connected');
      callback();
    } catch (error) {
      callback(error);
    }
  }

  async close(): Promise<void> {
    await this.consumer.stop();
    this._status$.next('disconnected');
  }

  on(): never {
    throw new Error('KafkaEventTransport emits no events; subscribe to `status` instead');
  }

  unwrap<T>(): T {
    return this.consumer as T;
  }

  /**
   * Nest's lookup by pattern tries JSON.parse on every event type (and catches its failure): a few
   * percent of a consumer's time. Handlers are registered before the transport listens, so the
   * answer per event type is kept.
   */
  private handlerOf(type: string): ReturnType<Server['getHandlerByPattern']> {
    if (!this.handlers.has(type)) this.handlers.set(type, this.getHandlerByPattern(type));
    return this.handlers.get(type) ?? null;
  }

  private async dispatch(record: ConsumedRecord): Promise<void> {
    if (record.value === null) return;
    const event = JSON.parse(record.value) as { type?: unknown };
    const handler = typeof event.type === 'string' ? this.handlerOf(event.type) : null;
    if (!handler) return;
    // Nest turns a handler's exception into an erroring observable: wait for it, so a
    // failure is retried instead of being logged and the offset committed.
    const result = await handler(event, new KafkaEventContext([record]));
    if (isObservable(result)) await lastValueFrom(result, { defaultValue: undefined });
  }
}
