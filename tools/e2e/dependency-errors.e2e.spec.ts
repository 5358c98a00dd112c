import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { testDatabaseUrl, testKafkaBrokers, testRedisUrl } from '@taskrouter/testing';

const repo = join(__dirname, '..', '..');
const run = promisify(execFile);

/** A service started against a dependency that is not there says which variable to fix, and exits 1. */
describe('a service whose dependency is unreachable', () => {
  const env = { ...process.env, DATABASE_URL: testDatabaseUrl(), REDIS_URL: testRedisUrl(), KAFKA_BROKERS: testKafkaBrokers().join(','), PORT: '39999', OPS_PORT: '0' };
  const start = async (service: string, overrides: Record<string, string>) => {
    const failure = await run(process.execPath, ['-r', join(repo, 'tools', 'register.js'), join(repo, 'apps', service, 'src', 'main.ts')], {
      cwd: repo, env: { ...env, ...overrides }, timeout: 60_000,
    }).then(() => null, (error: { code?: number; stderr?: string }) => error);
    return failure;
  };

  it.each([
    ['task-ingest', { DATABASE_URL: 'postgres://postgres@127.0.0.1:1/test' }, 'DATABASE_URL'],
    ['queue-matcher', { REDIS_URL: 'redis://127.0.0.1:1' }, 'REDIS_URL'],
    ['workflow-evaluator', { KAFKA_BROKERS: '127.0.0.1:1' }, 'KAFKA_BROKERS'],
    ['reservation-timer', { KAFKA_BROKERS: 'not a broker list' }, 'KAFKA_BROKERS'],
  ])('%s with %j exits 1 naming %s', async (service, overrides, variable) => {
    const failure = await start(service, overrides);
    expect(failure).not.toBeNull();
    expect(failure!.code).toBe(1);
    expect(failure!.stderr).toContain(`${service} could not start`);
    expect(failure!.stderr).toContain(variable);
  });
});
