import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { testDatabaseUrl, testKafkaBrokers, testRedisUrl } from '@taskrouter/testing';

const REPO_ROOT = join(__dirname, '..', '..', '..');
const READY = /TaskRouter API listening on/;

export interface TaskIngestProcess {
  readonly baseUrl: string;
  /** Its last output, for a failed run's report. */
  output(): string;
  stop(): Promise<void>;
}

/**
 * task-ingest alone, as `npm start` runs it (its own process, `apps/task-ingest/src/main.ts`), on
 * `schema` and `topicPrefix`: the statistics are its endpoints, and the other three services would
 * route, reserve and time out the seeded tasks while they are measured. Resolves once it serves.
 */
export function startTaskIngest(options: { schema: string; topicPrefix: string; port: number; readyTimeoutMs?: number }): Promise<TaskIngestProcess> {
  const env = {
    ...process.env,
    DATABASE_URL: testDatabaseUrl(), REDIS_URL: testRedisUrl(), KAFKA_BROKERS: testKafkaBrokers().join(','),
    TASKROUTER_SCHEMA: options.schema, TASKROUTER_TOPIC_PREFIX: options.topicPrefix, PORT: String(options.port), HOST: '127.0.0.1',
    KAFKAJS_NO_PARTITIONER_WARNING: '1',
  };
  const child = spawn(process.execPath, ['-r', join(REPO_ROOT, 'tools', 'register.js'), join(REPO_ROOT, 'apps', 'task-ingest', 'src', 'main.ts')], {
    cwd: REPO_ROOT, env, stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const stop = () => new Promise<void>((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    const kill = setTimeout(() => child.kill('SIGKILL'), 15_000);
    child.once('exit', () => {
      clearTimeout(kill);
      resolve();
    });
    child.kill('SIGTERM');
  });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      void stop();
      reject(new Error(`task-ingest not ready within ${options.readyTimeoutMs ?? 60_000} ms:\n${output.slice(-3000)}`));
    }, options.readyTimeoutMs ?? 60_000);
    const onData = (chunk: Buffer) => {
      output = (output + chunk.toString()).slice(-100_000);
      if (READY.test(output)) {
        clearTimeout(timer);
        resolve({ baseUrl: `http://127.0.0.1:${options.port}`, output: () => output, stop });
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`task-ingest exited with code ${code} before it was ready:\n${output.slice(-3000)}`));
    });
  });
}
