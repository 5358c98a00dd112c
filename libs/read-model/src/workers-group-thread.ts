import { Worker } from 'node:worker_threads';
import type { Pool, PoolConfig } from 'pg';
import type { RebuildGroupMessage, RebuildGroupWorkerData } from './rebuild-group-worker';

/** The workers' group folding on a thread of its own, as the rebuild sees it. */
export interface WorkersGroupThread {
  /** The events it projected, once all are written. */
  readonly finished: Promise<number>;
  /** Ends the thread if it still runs (its connections go with it). */
  stop(): Promise<void>;
}

/**
 * Starts rebuild-group-worker.ts on a worker thread. The code runs from TypeScript source, as
 * everything here does (tools/register.js): the thread registers the compiler itself, so it
 * starts the same under `node -r ./tools/register.js` and under jest.
 */
export function startWorkersGroupThread(data: RebuildGroupWorkerData, onProjected: (events: number) => void): WorkersGroupThread {
  const bootstrap = `require(${JSON.stringify(require.resolve('@swc-node/register'))}); require(${JSON.stringify(require.resolve('./rebuild-group-worker'))});`;
  const worker = new Worker(bootstrap, { eval: true, workerData: data, execArgv: [] });
  const finished = new Promise<number>((resolve, reject) => {
    let done: number | undefined;
    worker.on('message', (message: RebuildGroupMessage) => {
      if ('projected' in message) onProjected(message.projected);
      else done = message.done;
    });
    worker.on('error', reject);
    worker.on('exit', (code) => {
      if (done !== undefined) resolve(done);
      else reject(new Error(`the replay's workers-group thread ended (exit code ${code}) before it finished`));
    });
  });
  finished.catch(() => undefined);
  return { finished, stop: async () => void (await worker.terminate()) };
}

/** How the thread connects as the pool does: a pool itself cannot cross to another thread. */
export function connectionOf(pool: Pool): PoolConfig {
  const { connectionString, host, port, user, password, database, ssl, application_name } = pool.options;
  const config: PoolConfig = { connectionString, host, port, user, database, application_name };
  // A password given as a function, or TLS options holding buffers, stay with the pool: plain values only.
  if (typeof password === 'string') config.password = password;
  if (typeof ssl === 'boolean') config.ssl = ssl;
  return Object.fromEntries(Object.entries(config).filter(([, value]) => value !== undefined));
}
