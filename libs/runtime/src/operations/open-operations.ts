import { readOperationsPort } from '@taskrouter/config';
import type Redis from 'ioredis';
import type { RunningEventRelay } from '../event-relay';
import type { ServiceInfrastructure } from '../service-infrastructure';
import { DEFAULT_OPERATIONS_PORTS, ServiceOperations, type OperatedService } from './service-operations';

/**
 * Opens a service's operations endpoints on OPS_PORT (its default port otherwise) at HOST, as the
 * API binds, and prints `<service>: operations on http://host:port`: the line `npm start` and the
 * test harness read the port from (OPS_PORT=0 picks a free one).
 */
export async function openOperations(service: string, env: NodeJS.ProcessEnv): Promise<ServiceOperations> {
  const port = readOperationsPort(env, DEFAULT_OPERATIONS_PORTS[service] ?? 0);
  const operations = await ServiceOperations.start(service, { port, host: env.HOST ?? '127.0.0.1' });
  process.stderr.write(`${operations.announcement}\n`);
  return operations;
}

/** What readiness and the metrics read of a service built on ServiceInfrastructure. */
export function operatedService(infrastructure: ServiceInfrastructure, relay: RunningEventRelay, redis?: Redis): OperatedService {
  return {
    pool: infrastructure.pool, schema: infrastructure.config.schema, kafka: infrastructure.kafka, kafkaBrokers: infrastructure.config.kafkaBrokers,
    redis, relay, deadLetters: infrastructure.deadLetters.counters,
  };
}
