import type { KafkaConnection } from '@taskrouter/messaging';
import { Counter, Gauge, type Registry } from 'prom-client';
import { partitionLags, type PartitionLag } from './consumer-lag';

export interface ConsumerMetricsOptions {
  /** Lag is asked of Kafka at most this often, and only when scraped; default 5000 ms. */
  readonly lagRefreshMs?: number;
  /** A lag refresh slower than this keeps the previous values; default 2000 ms. */
  readonly lagTimeoutMs?: number;
  readonly now?: () => number;
}

/**
 * Records consumed per group and topic (read from the consumers at scrape time) and the lag of
 * every partition of the service's groups, asked of Kafka (one admin session per group) when a
 * scrape finds the last answer older than `lagRefreshMs`: nothing on the consuming path.
 */
export function registerConsumerMetrics(registry: Registry, connection: KafkaConnection, options: ConsumerMetricsOptions = {}): void {
  const refreshMs = options.lagRefreshMs ?? 5000;
  const timeoutMs = options.lagTimeoutMs ?? 2000;
  const now = options.now ?? Date.now;
  new Counter({
    name: 'taskrouter_events_consumed_total', help: 'Records this process handled (or parked), by consumer group and topic', labelNames: ['group', 'topic'], registers: [registry],
    collect() {
      this.reset();
      for (const member of connection.members) for (const [topic, count] of member.consumedByTopic()) this.inc({ group: member.groupId, topic }, count);
    },
  });
  let lags = new Map<string, PartitionLag[]>();
  let refreshedAt = -Infinity;
  const refresh = async () => {
    const groups = new Map<string, readonly string[]>();
    for (const member of connection.members) groups.set(member.groupId, member.topics);
    const next = new Map<string, PartitionLag[]>();
    for (const [group, topics] of groups) next.set(group, partitionLags(await connection.groupOffsets(group, topics)));
    lags = next;
  };
  new Gauge({
    name: 'taskrouter_consumer_lag', help: 'Records of a partition not yet committed by the group (high watermark minus committed offset), refreshed at most every few seconds',
    labelNames: ['group', 'topic', 'partition'], registers: [registry],
    async collect() {
      if (now() - refreshedAt >= refreshMs) {
        refreshedAt = now();
        let timer: NodeJS.Timeout | undefined;
        // Kafka away: the scrape still answers, with the last values seen.
        await Promise.race([refresh().catch(() => undefined), new Promise((resolve) => (timer = setTimeout(resolve, timeoutMs)))]);
        clearTimeout(timer);
      }
      this.reset();
      for (const [group, partitions] of lags) for (const { topic, partition, lag } of partitions) this.set({ group, topic, partition: String(partition) }, lag);
    },
  });
}
