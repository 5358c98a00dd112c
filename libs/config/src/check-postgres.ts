import { Client } from 'pg';
import { ConfigError } from './config-error';
import { type CheckOptions, DEFAULT_CHECK_TIMEOUT_MS } from './check-options';
import { describeError } from './describe-error';
import { redactUrl } from './redact-url';

/** Connects and runs SELECT 1; a failure is a ConfigError naming DATABASE_URL (password removed). */
export async function checkPostgres(url: string, options: CheckOptions = {}): Promise<void> {
  const timeoutMs = options.timeoutMs ?? DEFAULT_CHECK_TIMEOUT_MS;
  const client = new Client({ connectionString: url, connectionTimeoutMillis: timeoutMs, query_timeout: timeoutMs });
  // A socket error after connect must not become an unhandled 'error' event.
  client.on('error', () => undefined);
  try {
    await client.connect();
    await client.query('SELECT 1');
  } catch (error) {
    throw new ConfigError(`Postgres is unreachable at ${redactUrl(url)} (DATABASE_URL): ${describeError(error)}`);
  } finally {
    await client.end().catch(() => undefined);
  }
}
