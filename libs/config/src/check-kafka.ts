import { Kafka, logLevel } from 'kafkajs';
import { ConfigError } from './config-error';
import { type CheckOptions, DEFAULT_CHECK_TIMEOUT_MS } from './check-options';
import { describeError } from './describe-error';

/**
 * Asks the cluster to describe itself (a broker answered with metadata); a failure is a
 * ConfigError naming KAFKA_BROKERS. One attempt with short timeouts, not kafkajs's retry storm.
 */
export async function checkKafka(brokers: string[], options: CheckOptions = {}): Promise<void> {
  const timeoutMs = options.timeoutMs ?? DEFAULT_CHECK_TIMEOUT_MS;
  const kafka = new Kafka({
    clientId: 'taskrouter-config-check',
    brokers,
    connectionTimeout: timeoutMs,
    requestTimeout: timeoutMs,
    retry: { retries: 0 },
    logLevel: logLevel.NOTHING,
  });
  const admin = kafka.admin({ retry: { retries: 0 } });
  try {
    await admin.connect();
    const cluster = await admin.describeCluster();
    if (cluster.brokers.length === 0) throw new Error('the cluster reports no brokers');
  } catch (error) {
    throw new ConfigError(`Kafka is unreachable at ${brokers.join(',')} (KAFKA_BROKERS): ${describeError(error)}`);
  } finally {
    await admin.disconnect().catch(() => undefined);
  }
}
