import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { LOOPBACK_ALLOW_LIST_TEXT } from '@taskrouter/contract';
import { testDatabaseUrl, testKafkaBrokers, testRedisUrl } from './test-infrastructure';

export const SERVICE_NAMES = ['task-ingest', 'workflow-evaluator', 'queue-matcher', 'reservation-timer'] as const;
export type ServiceName = (typeof SERVICE_NAMES)[number];

/** Each service prints where its operations endpoints are (OPS_PORT=0: a free port) before it starts. */
const OPERATIONS_LINE = /operations on (http:\/\/\S+)/;

/** The line each service prints once it serves: the harness waits for it, never for a fixed time. */
const READY_LINES: Record<ServiceName, RegExp> = {
  'task-ingest': /TaskRouter API listening on/,
  'workflow-evaluator': /consuming task events/,
  'queue-matcher': /consuming task and worker events/,
  'reservation-timer': /scheduling and firing deadlines/,
};

const REPO_ROOT = join(__dirname, '..', '..', '..');

export interface RunningServices {
  readonly baseUrl: string;
  /** Where a service's /health/live, /health/ready and /metrics are (this launch's port). */
  readonly operationsUrl: (service: ServiceName) => string;
  readonly output: (service: ServiceName) => string;
  stop(service?: ServiceName): Promise<void>;
  /** Kills a service at once (SIGKILL), as a crash would. */
  kill(service: ServiceName): Promise<void>;
  /** Starts a stopped or killed service again and waits until it is ready. */
  start(service: ServiceName): Promise<void>;
}

/**
 * Starts the four services as separate processes against the real Postgres, Redis and Kafka,
 * isolated by their own schema, topic prefix and port, and resolves when all four are ready: each
 * printed its ready line and its /health/ready answers 200 (its consumers joined their groups).
 */
export async function startServices(options: { schema: string; topicPrefix: string; port: number; env?: Record<string, string>; readyTimeoutMs?: number; nodeArgs?: string[] }): Promise<RunningServices> {
  const env = {
    ...process.env,
    DATABASE_URL: testDatabaseUrl(), REDIS_URL: testRedisUrl(), KAFKA_BROKERS: testKafkaBrokers().join(','),
    TASKROUTER_SCHEMA: options.schema, TASKROUTER_TOPIC_PREFIX: options.topicPrefix, PORT: String(options.port), HOST: '127.0.0.1',
    // The specs' callback servers listen on 127.0.0.1, which the outgoing URL policy refuses by default;
    // a spec that tests the policy itself passes its own OUTGOING_URL_ALLOW in options.env.
    OUTGOING_URL_ALLOW: LOOPBACK_ALLOW_LIST_TEXT,
    // Specs and stacks run side by side: every service takes a free operations port and prints it.
    OPS_PORT: '0',
    KAFKAJS_NO_PARTITIONER_WARNING: '1', ...options.env,
  };
  const children = new Map<ServiceName, ChildProcess>();
  const outputs = new Map<ServiceName, string>();
  const operationsUrls = new Map<ServiceName, string>();
  const launch = (name: ServiceName) => new Promise<void>((resolve, reject) => {
    const child = spawn(process.execPath, [...(options.nodeArgs ?? []), '-r', join(REPO_ROOT, 'tools', 'register.js'), join(REPO_ROOT, 'apps', name, 'src', 'main.ts')], { cwd: REPO_ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
    children.set(name, child);
    // Readiness is judged on this launch's output only (a restart must print its line again).
    let sinceLaunch: string | null = '';
    outputs.set(name, outputs.get(name) ?? '');
    let exited = false;
    const onData = (chunk: Buffer) => {
      const text = outputs.get(name) + chunk.toString();
      outputs.set(name, text.length > 200_000 ? text.slice(-100_000) : text);
      if (sinceLaunch === null) return;
      sinceLaunch += chunk.toString();
      if (READY_LINES[name].test(sinceLaunch)) {
        const operations = OPERATIONS_LINE.exec(sinceLaunch)?.[1];
        sinceLaunch = null;
        if (!operations) return resolve();
        operationsUrls.set(name, operations);
        // The ready line comes once the consumers started; /health/ready once they joined their groups.
        void untilReady(operations, () => exited, options.readyTimeoutMs ?? 60_000).then(resolve, reject);
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.on('exit', (code) => {
      exited = true;
      reject(new Error(`${name} exited with code ${code} before it was ready:\n${outputs.get(name)}`));
    });
  });
  const ready = SERVICE_NAMES.map(launch);
  const stopOne = (name: ServiceName) => new Promise<void>((resolve) => {
    const child = children.get(name);
    if (!child || child.exitCode !== null || child.signalCode !== null) return resolve();
    const kill = setTimeout(() => child.kill('SIGKILL'), 15_000);
    child.once('exit', () => { clearTimeout(kill); resolve(); });
    child.kill('SIGTERM');
  });
  const stop = async (service?: ServiceName) => {
    await Promise.all((service ? [service] : [...SERVICE_NAMES]).map(stopOne));
  };
  const timeout = options.readyTimeoutMs ?? 60_000;
  try {
    await Promise.race([
      Promise.all(ready),
      new Promise((_, reject) => setTimeout(() => reject(new Error(`services not ready within ${timeout} ms:\n${[...outputs].map(([n, o]) => `--- ${n}\n${o.slice(-2000)}`).join('\n')}`)), timeout).unref()),
    ]);
  } catch (error) {
    await stop();
    throw error;
  }
  const kill = (name: ServiceName) => new Promise<void>((resolve) => {
    const child = children.get(name);
    if (!child || child.exitCode !== null || child.signalCode !== null) return resolve();
    child.once('exit', () => resolve());
    child.kill('SIGKILL');
  });
  const operationsUrl = (name: ServiceName) => {
    const url = operationsUrls.get(name);
    if (!url) throw new Error(`${name} printed no operations address`);
    return url;
  };
  return { baseUrl: `http://127.0.0.1:${options.port}`, operationsUrl, output: (name) => outputs.get(name) ?? '', stop, kill, start: launch };
}

/** Polls `<operations>/health/ready` until it answers 200, the process is gone, or `timeoutMs` passed. */
async function untilReady(operations: string, gone: () => boolean, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!gone()) {
    if (Date.now() > deadline) throw new Error(`${operations}/health/ready did not answer 200 within ${timeoutMs} ms`);
    const status = await fetch(`${operations}/health/ready`, { signal: AbortSignal.timeout(2000) }).then((response) => response.status, () => 0);
    if (status === 200) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** Polls until `check` returns a value (not undefined), or fails with the last value seen. */
export async function eventually<T>(check: () => Promise<T | undefined>, options: { timeoutMs?: number; intervalMs?: number; what?: string } = {}): Promise<T> {
  const deadline = Date.now() + (options.timeoutMs ?? 20_000);
  let last: unknown;
  for (;;) {
    try {
      const value = await check();
      if (value !== undefined) return value;
    } catch (error) {
      last = error;
    }
    if (Date.now() > deadline) throw new Error(`gave up waiting for ${options.what ?? 'a condition'}${last ? `: ${String(last)}` : ''}`);
    await new Promise((resolve) => setTimeout(resolve, options.intervalMs ?? 100));
  }
}
