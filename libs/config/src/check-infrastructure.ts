import { ConfigError } from './config-error';
import type { CheckOptions } from './check-options';
import { checkKafka } from './check-kafka';
import { checkPostgres } from './check-postgres';
import { checkRedis } from './check-redis';
import type { InfrastructureConfig } from './infrastructure-config';

/** Checks Postgres, Redis and Kafka at once and reports every one that is unreachable, not just the first. */
export async function checkInfrastructure(config: InfrastructureConfig, options: CheckOptions = {}): Promise<void> {
  const outcomes = await Promise.allSettled([
    checkPostgres(config.databaseUrl, options),
    checkRedis(config.redisUrl, options),
    checkKafka(config.kafkaBrokers, options),
  ]);
  const failures = outcomes.flatMap((o) => (o.status === 'rejected' ? [o.reason instanceof Error ? o.reason.message : String(o.reason)] : []));
  if (failures.length > 0) throw new ConfigError(failures.join('\n'));
}
