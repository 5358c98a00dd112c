// Test-only use of the testing lib; eslint's boundaries do not yet tell specs from sources.
import { testKafkaBrokers, uniqueName } from '@taskrouter/testing';
import { KafkaConnection } from '../kafka-connection';
import type { MessagingLogger } from '../messages';

/** Collects warnings and errors instead of printing them; specs may assert on them. */
export function collectingLogger(): MessagingLogger & { entries: Parameters<MessagingLogger>[0][] } {
  const entries: Parameters<MessagingLogger>[0][] = [];
  return Object.assign((entry: Parameters<MessagingLogger>[0]) => void entries.push(entry), { entries });
}

export function testConnection(logger: MessagingLogger = collectingLogger()): KafkaConnection {
  return new KafkaConnection({ brokers: testKafkaBrokers(), clientId: uniqueName('test'), logger });
}

/** Creates a topic only this spec uses. */
export async function uniqueTopic(connection: KafkaConnection, prefix: string, partitions: number): Promise<string> {
  const topic = uniqueName(prefix);
  await connection.ensureTopics([{ topic, partitions }]);
  return topic;
}

/** Resolves once `condition` holds after some `record` call; no clocks involved. */
export class Collector<T> {
  readonly items: T[] = [];
  private waiters: { condition: (items: T[]) => boolean; resolve: () => void }[] = [];

  record(item: T): void {
    this.items.push(item);
    this.waiters = this.waiters.filter((waiter) => {
      if (!waiter.condition(this.items)) return true;
      waiter.resolve();
      return false;
    });
  }

  until(condition: (items: T[]) => boolean): Promise<T[]> {
    if (condition(this.items)) return Promise.resolve(this.items);
    return new Promise((resolve) => this.waiters.push({ condition, resolve: () => resolve(this.items) }));
  }
}
