import { checkKafka } from '@taskrouter/config';
import type { DeadLetterCounters, KafkaConnection, RelayStatus } from '@taskrouter/messaging';
import type Redis from 'ioredis';
import type { Pool } from 'pg';
import { collectDefaultMetrics } from 'prom-client';
import { CachedCheck, type CheckResult } from './cached-check';
import { registerConsumerMetrics } from './consumer-metrics';
import { registerDeadLetterMetrics } from './dead-letter-metrics';
import { OperationsServer } from './operations-server';
import { readinessReport, type ReadinessReport } from './readiness-report';
import { registerRelayMetrics } from './relay-metrics';
import { processMetrics, type ServiceMetrics } from './service-metrics';

/** Each service's own operations port, so `npm start` runs the four on one host (OPS_PORT overrides). */
export const DEFAULT_OPERATIONS_PORTS: Readonly<Record<string, number>> = {
  'task-ingest': 9464, 'workflow-evaluator': 9465, 'queue-matcher': 9466, 'reservation-timer': 9467,
};

/** What a started service hands its operations endpoints: what readiness checks and metrics read. */
export interface OperatedService {
  readonly pool: Pool;
  readonly schema: string;
  readonly kafka: KafkaConnection;
  readonly kafkaBrokers: readonly string[];
  /** For a service that uses Redis: checked by readiness. */
  readonly redis?: Redis;
  readonly relay?: { status(): RelayStatus };
  readonly deadLetters?: DeadLetterCounters;
}

export interface ServiceOperationsOptions {
  readonly port: number;
  readonly host: string;
  readonly metrics?: ServiceMetrics;
  /** Bounds each readiness check; default 1000 ms. */
  readonly checkTimeoutMs?: number;
  /** How long a check's result serves probes; default 1000 ms. */
  readonly checkCacheMs?: number;
}

/**
 * A service's health and metrics endpoints. Listening starts first (liveness answers while the
 * service starts, readiness says `starting`); `serve` adds the checks and the scrape-time
 * metrics once the service runs; `stopping` makes readiness fail at once on a stop.
 */
export class ServiceOperations {
  private checks: CachedCheck[] = [];
  private phase: 'starting' | 'serving' | 'stopping' = 'starting';

  private constructor(readonly service: string, private readonly server: OperationsServer, readonly metrics: ServiceMetrics, private readonly options: ServiceOperationsOptions) {}

  static async start(service: string, options: ServiceOperationsOptions): Promise<ServiceOperations> {
    const metrics = options.metrics ?? processMetrics;
    metrics.registry.setDefaultLabels({ service });
    collectDefaultMetrics({ register: metrics.registry });
    // The server answers probes before the service object exists: readiness says `starting` until then.
    const created: { operations?: ServiceOperations } = {};
    const readiness = () => created.operations?.readiness() ?? Promise.resolve(readinessReport([{ name: 'service', ok: false, detail: 'starting', ms: 0 }]));
    const server = await OperationsServer.listen({ registry: metrics.registry, readiness }, options.port, options.host).catch((error: NodeJS.ErrnoException) => {
      throw new Error(`the operations port ${options.host}:${options.port} (OPS_PORT) cannot be listened on: ${error.code ?? error.message}`);
    });
    created.operations = new ServiceOperations(service, server, metrics, options);
    return created.operations;
  }

  get url(): string {
    return this.server.url;
  }

  /** The line a supervisor reads to find the port (OPS_PORT=0 picks one). */
  get announcement(): string {
    return `${this.service}: operations on ${this.url}`;
  }

  /** The service runs: readiness now checks its dependencies and consumers, metrics read its parts. */
  serve(service: OperatedService): void {
    const bounded = { timeoutMs: this.options.checkTimeoutMs ?? 1000, cacheMs: this.options.checkCacheMs ?? 1000 };
    const { pool, kafka, redis } = service;
    this.checks = [
      new CachedCheck('postgres', () => pool.query('SELECT 1'), bounded),
      ...(redis ? [new CachedCheck('redis', () => redis.ping(), bounded)] : []),
      new CachedCheck('kafka', () => checkKafka([...service.kafkaBrokers], { timeoutMs: bounded.timeoutMs }), bounded),
      new CachedCheck('consumers', async () => {
        const outside = [...kafka.members].filter((member) => !member.isInGroup()).map((member) => member.groupId);
        if (outside.length > 0) throw new Error(`not in their group yet: ${outside.join(', ')}`);
      }, { ...bounded, cacheMs: 0 }),
    ];
    registerConsumerMetrics(this.metrics.registry, kafka);
    if (service.relay) registerRelayMetrics(this.metrics.registry, service.relay, pool, service.schema);
    if (service.deadLetters) registerDeadLetterMetrics(this.metrics.registry, service.deadLetters);
    this.phase = 'serving';
  }

  /** Readiness fails from now on: a stopping service takes no more work from a balancer. */
  stopping(): void {
    this.phase = 'stopping';
  }

  async readiness(): Promise<ReadinessReport> {
    if (this.phase !== 'serving') return readinessReport([{ name: 'service', ok: false, detail: this.phase, ms: 0 }]);
    const results: CheckResult[] = await Promise.all(this.checks.map((check) => check.result()));
    return readinessReport(results);
  }

  async close(): Promise<void> {
    this.phase = 'stopping';
    await this.server.close();
  }
}
