import Redis from 'ioredis';
import { ConfigError } from './config-error';
import { type CheckOptions, DEFAULT_CHECK_TIMEOUT_MS } from './check-options';
import { describeError } from './describe-error';
import { redactUrl } from './redact-url';

/** Connects once (no reconnect loop) and PINGs; a failure is a ConfigError naming REDIS_URL. */
export async function checkRedis(url: string, options: CheckOptions = {}): Promise<void> {
  const timeoutMs = options.timeoutMs ?? DEFAULT_CHECK_TIMEOUT_MS;
  const redis = new Redis(url, {
    lazyConnect: true,
    connectTimeout: timeoutMs,
    commandTimeout: timeoutMs,
    maxRetriesPerRequest: 0,
    enableOfflineQueue: false,
    retryStrategy: () => null,
  });
  // connect() rejects with a bare "Connection is closed."; the socket's own error (ECONNREFUSED,
  // ENOTFOUND, auth) arrives as an 'error' event, and is the reason worth reporting.
  let socketError: unknown;
  redis.on('error', (error) => {
    socketError ??= error;
  });
  try {
    await redis.connect();
    await redis.ping();
  } catch (error) {
    throw new ConfigError(`Redis is unreachable at ${redactUrl(url)} (REDIS_URL): ${describeError(socketError ?? error)}`);
  } finally {
    // disconnect() on a connection that already ended arms a 2 s timer that keeps the process alive.
    if (redis.status !== 'end') redis.disconnect();
  }
}
