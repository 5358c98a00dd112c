import type { RelayStatus } from '@taskrouter/messaging';
import type { Pool } from 'pg';
import { Counter, Gauge, type Registry } from 'prom-client';

export interface RelayMetricsOptions {
  /** The newest position of the log is asked at most this often, when scraped; default 5000 ms. */
  readonly refreshMs?: number;
  readonly now?: () => number;
}

/**
 * The relay's lease, what it published, and its backlog: the newest committed position of the log
 * (one index lookup, at most every few seconds) minus the last position this relay published.
 * Positions left unused by rolled-back transactions make it an estimate from above. Only the lease
 * holder knows its position; the others report 0 (take the max over the services).
 */
export function registerRelayMetrics(registry: Registry, relay: { status(): RelayStatus }, pool: Pool, schema: string, options: RelayMetricsOptions = {}): void {
  const refreshMs = options.refreshMs ?? 5000;
  const now = options.now ?? Date.now;
  new Gauge({
    name: 'taskrouter_relay_lease_held', help: '1 when this process holds the outbox relay lease and publishes, 0 when it stands by', registers: [registry],
    collect() {
      this.set(relay.status().leaseHeld ? 1 : 0);
    },
  });
  new Counter({
    name: 'taskrouter_relay_published_events_total', help: 'Events this process published from the log to Kafka', registers: [registry],
    collect() {
      this.reset();
      this.inc(relay.status().published);
    },
  });
  let newest: { position: number; at: number } | undefined;
  new Gauge({
    name: 'taskrouter_relay_backlog_events', help: 'Events committed to the log and not yet published to Kafka (estimate; lease holder only)', registers: [registry],
    async collect() {
      const { leaseHeld, publishedUpTo } = relay.status();
      if (!leaseHeld) return void this.set(0);
      if (!newest || now() - newest.at >= refreshMs) {
        const { rows } = await pool.query<{ newest: string | null }>(`SELECT max(position)::text AS newest FROM "${schema}".events`).catch(() => ({ rows: [] as { newest: string | null }[] }));
        newest = { position: Number(rows[0]?.newest ?? 0), at: now() };
      }
      this.set(Math.max(0, newest.position - Number(publishedUpTo ?? 0)));
    },
  });
}
