import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { testDatabaseUrl, testKafkaBrokers, testRedisUrl } from '@taskrouter/testing';

const REPO = join(__dirname, '..', '..', '..');

export interface ReplayRun {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs `npm run replay` (the script itself) against one deployment; resolves with its exit code, never throws for a non-zero one. */
export function runReplay(deployment: { schema: string; topicPrefix: string; databaseUrl?: string }, args: string[] = []): Promise<ReplayRun> {
  const env = {
    ...process.env, DATABASE_URL: deployment.databaseUrl ?? testDatabaseUrl(), REDIS_URL: testRedisUrl(), KAFKA_BROKERS: testKafkaBrokers().join(','),
    TASKROUTER_SCHEMA: deployment.schema, TASKROUTER_TOPIC_PREFIX: deployment.topicPrefix,
  };
  return promisify(execFile)(process.execPath, ['-r', join(REPO, 'tools', 'register.js'), join(REPO, 'tools', 'replay', 'replay.ts'), ...args], { cwd: REPO, env })
    .then(({ stdout, stderr }) => ({ code: 0, stdout, stderr }), (error: { code: number; stdout: string; stderr: string }) => ({ code: error.code, stdout: error.stdout, stderr: error.stderr }));
}
