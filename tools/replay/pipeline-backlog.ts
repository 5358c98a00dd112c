import type { ServiceInfrastructure } from '@taskrouter/runtime';

/** How far behind the log each keeper of derived state is, in events (0: caught up). */
export interface PipelineBacklog {
  readonly relay: number;
  readonly matcher: number;
  readonly timer: number;
}

/** Events not yet relayed to Kafka, and records the matcher's and the timer's groups have not committed. */
export async function pipelineBacklog(infrastructure: ServiceInfrastructure, relayName: string): Promise<PipelineBacklog> {
  const { config, eventStore, kafka, topics } = infrastructure;
  const checkpoint = await eventStore.loadCheckpoint(relayName);
  const { rows } = await infrastructure.pool.query<{ n: string }>(
    `SELECT count(*)::text AS n FROM "${config.schema}".events e WHERE ($1::xid8 IS NULL OR (e.transaction_id, e.position) > ($1::xid8, $2::bigint))`,
    [checkpoint?.transactionId ?? null, checkpoint?.position ?? '0'],
  );
  const [matcher, timer] = await Promise.all([
    kafka.consumerGroupLag(`${config.topicPrefix}.queue-matcher`, Object.values(topics.events)),
    kafka.consumerGroupLag(`${config.topicPrefix}.reservation-timer`, [topics.events.tasks]),
  ]);
  return { relay: Number(rows[0].n), matcher, timer };
}

/** Polls until nothing is behind or `timeoutMs` passed; returns the last backlog seen. */
export async function waitForQuiet(measure: () => Promise<PipelineBacklog>, timeoutMs: number): Promise<PipelineBacklog> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const backlog = await measure();
    if ((backlog.relay === 0 && backlog.matcher === 0 && backlog.timer === 0) || Date.now() >= deadline) return backlog;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}
