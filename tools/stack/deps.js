// Reachability checks of the stack's dependencies, each failure one line naming the variable.
'use strict';

const net = require('node:net');
const { redactUrl } = require('./env');

const CHECK_TIMEOUT_MS = 3000;

function reason(error) {
  if (!error) return 'unknown error';
  if (error.code && error.message && !error.message.includes(error.code)) return `${error.code} ${error.message}`;
  if (error.errors && error.errors.length > 0) return error.errors.map((e) => e.message || String(e)).join('; ');
  return error.message || error.code || String(error);
}

/** Connects and runs SELECT 1. */
async function checkPostgres(url, timeoutMs = CHECK_TIMEOUT_MS) {
  const { Client } = require('pg');
  const client = new Client({ connectionString: url, connectionTimeoutMillis: timeoutMs, query_timeout: timeoutMs });
  client.on('error', () => undefined);
  try {
    await client.connect();
    await client.query('SELECT 1');
  } catch (error) {
    throw new Error(`Postgres is unreachable at ${redactUrl(url)} (DATABASE_URL): ${reason(error)}. Start Postgres or set DATABASE_URL.`);
  } finally {
    await client.end().catch(() => undefined);
  }
}

/** Connects once (no reconnect loop) and PINGs. */
async function checkRedis(url, timeoutMs = CHECK_TIMEOUT_MS) {
  const Redis = require('ioredis');
  const redis = new Redis(url, { lazyConnect: true, connectTimeout: timeoutMs, commandTimeout: timeoutMs, maxRetriesPerRequest: 0, enableOfflineQueue: false, retryStrategy: () => null });
  let socketError;
  redis.on('error', (error) => {
    socketError = socketError || error;
  });
  try {
    await redis.connect();
    await redis.ping();
  } catch (error) {
    throw new Error(`Redis is unreachable at ${redactUrl(url)} (REDIS_URL): ${reason(socketError || error)}. Start Redis or set REDIS_URL.`);
  } finally {
    if (redis.status !== 'end') redis.disconnect();
  }
}

/** Both checks at once; rejects with every failure, one per line. */
async function checkPostgresAndRedis(settings) {
  const outcomes = await Promise.allSettled([checkPostgres(settings.databaseUrl), checkRedis(settings.redisUrl)]);
  const failures = outcomes.filter((o) => o.status === 'rejected').map((o) => o.reason.message);
  if (failures.length > 0) throw new Error(failures.join('\n'));
}

/** Resolves undefined when host:port can be bound, else the reason (EADDRINUSE, EADDRNOTAVAIL...). */
function portProblem(host, port) {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.unref();
    server.once('error', (error) => resolve(error.code || error.message));
    server.listen({ host, port, exclusive: true }, () => server.close(() => resolve(undefined)));
  });
}

module.exports = { checkPostgres, checkRedis, checkPostgresAndRedis, portProblem };
