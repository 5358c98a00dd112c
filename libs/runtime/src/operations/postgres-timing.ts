import type { Pool, PoolClient } from 'pg';
import type { LatencyHistogram } from './latency-histogram';

const timed = new WeakSet<object>();

/**
 * Times every query of the pool's clients into `histogram` (seconds, send to answer). Wraps each
 * client's `query` once, when the pool connects it, so a query costs one clock read at each end.
 * Submittable queries (cursors, streams) pass through untimed.
 */
export function timePostgresQueries(pool: Pool, histogram: LatencyHistogram): void {
  pool.on('connect', (client: PoolClient) => {
    if (timed.has(client)) return;
    timed.add(client);
    const query = client.query.bind(client) as (...args: unknown[]) => unknown;
    (client as unknown as { query: (...args: unknown[]) => unknown }).query = (...args: unknown[]) => {
      const started = performance.now();
      const done = () => histogram.record((performance.now() - started) / 1000);
      // Pool.query calls its client with a callback; transactions await the promise form.
      const last = args.length - 1;
      const callback = args[last];
      if (typeof callback === 'function') {
        args[last] = (...answer: unknown[]) => {
          done();
          return (callback as (...answer: unknown[]) => unknown)(...answer);
        };
        return query(...args);
      }
      const result = query(...args);
      if (result instanceof Promise) result.then(done, done);
      return result;
    };
  });
}
