import { Queue, Worker } from 'bullmq';
import Redis from 'ioredis';
import { uniqueName } from '@taskrouter/testing';
import { reportProgress } from '../support/bench-results';
import { summarizeLatencies, type LatencySummary } from './latency-summary';

/** The job queue a user would pick instead, on the same Redis: jobs added in bulk, a worker of fixed concurrency. */
export interface BullmqResult {
  readonly version: string;
  readonly jobs: number;
  readonly batch: number;
  readonly concurrency: number;
  /** Jobs added per second (addBulk round trips only). */
  readonly addedPerS: number;
  /** Jobs processed per second, from the first add to the last job processed. */
  readonly processedPerS: number;
  /** Each job's add → processed (its `timestamp` → the worker's `completed` event). */
  readonly latency: LatencySummary;
  readonly failed: number;
}

function redisConnection(url: string): { host: string; port: number; db?: number; username?: string; password?: string } {
  const parsed = new URL(url);
  const db = parsed.pathname.length > 1 ? Number(parsed.pathname.slice(1)) : undefined;
  return {
    host: parsed.hostname || '127.0.0.1', port: Number(parsed.port || 6379), ...(db !== undefined ? { db } : {}),
    ...(parsed.username ? { username: decodeURIComponent(parsed.username) } : {}), ...(parsed.password ? { password: decodeURIComponent(parsed.password) } : {}),
  };
}

/** Deletes every key under the run's prefix (the queue is obliterated first; this catches what is left). */
async function deleteKeys(redisUrl: string, prefix: string): Promise<void> {
  const redis = new Redis(redisUrl, { maxRetriesPerRequest: 1 });
  try {
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 1000);
      if (keys.length > 0) await redis.unlink(...keys);
      cursor = next;
    } while (cursor !== '0');
  } finally {
    redis.disconnect();
  }
}

/**
 * Adds `jobs` no-op jobs with `addBulk` (batches of `batch`) to a queue under a prefix of its own,
 * while one Worker with `concurrency` processes them; measures add → processed, then removes
 * every key it made.
 */
export async function runBullmqReference(options: { redisUrl: string; jobs: number; batch: number; concurrency: number }): Promise<BullmqResult> {
  const prefix = uniqueName('bench_bullmq');
  const name = 'steady';
  const connection = redisConnection(options.redisUrl);
  const queue = new Queue(name, { connection, prefix });
  const finished: number[] = [];
  let failed = 0;
  let resolveAll: () => void = () => undefined;
  const allDone = new Promise<void>((resolve) => (resolveAll = resolve));
  const worker = new Worker(name, async () => undefined, { connection, prefix, concurrency: options.concurrency, autorun: false, removeOnComplete: { count: 0 }, removeOnFail: { count: 0 } });
  const check = () => {
    if (finished.length + failed >= options.jobs) resolveAll();
  };
  worker.on('completed', (job) => {
    finished.push(Date.now() - job.timestamp);
    check();
  });
  worker.on('failed', () => {
    failed++;
    check();
  });
  const label = `BullMQ, ${options.jobs} jobs, concurrency ${options.concurrency}`;
  const ticker = setInterval(() => reportProgress(label, finished.length + failed, options.jobs, 'processed'), 1000);
  try {
    await queue.waitUntilReady();
    void worker.run();
    await worker.waitUntilReady();
    const started = Date.now();
    for (let added = 0; added < options.jobs; added += options.batch) {
      const size = Math.min(options.batch, options.jobs - added);
      await queue.addBulk(Array.from({ length: size }, (_, i) => ({ name: 'job', data: { n: added + i, skill: `s${(added + i) % 10}` } })));
    }
    const addedIn = Date.now() - started;
    await Promise.race([allDone, new Promise((_, reject) => setTimeout(() => reject(new Error(`BullMQ processed ${finished.length} of ${options.jobs} jobs within 120 s`)), 120_000).unref())]);
    const processedIn = Date.now() - started;
    reportProgress(label, finished.length + failed, options.jobs, 'processed');
    return {
      version: bullmqVersion(), jobs: options.jobs, batch: options.batch, concurrency: options.concurrency,
      addedPerS: options.jobs / Math.max(0.001, addedIn / 1000), processedPerS: finished.length / Math.max(0.001, processedIn / 1000),
      latency: summarizeLatencies(finished), failed,
    };
  } finally {
    clearInterval(ticker);
    await worker.close();
    await queue.obliterate({ force: true }).catch(() => undefined);
    await queue.close();
    await deleteKeys(options.redisUrl, prefix);
  }
}

function bullmqVersion(): string {
  return (require('bullmq/package.json') as { version: string }).version;
}
