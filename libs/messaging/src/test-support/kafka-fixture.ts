// Test-only use of the testing lib; eslint's boundaries do not yet tell specs from sources.
import { testKafkaBrokers, uniqueName } from '@taskrouter/testing';
export { Collector } from '@taskrouter/testing';
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

