// Pure: the stack's settings from the environment, and the texts it prints. No I/O here, so the
// rules are unit-tested (env.spec.ts); start.js and with-stack.js do the I/O.
'use strict';

/** The same defaults the services apply (libs/config), plus task-ingest's HTTP address. */
const DEFAULTS = Object.freeze({
  DATABASE_URL: 'postgres://postgres@127.0.0.1:5432/test',
  REDIS_URL: 'redis://127.0.0.1:6379',
  TASKROUTER_SCHEMA: 'taskrouter',
  TASKROUTER_TOPIC_PREFIX: 'taskrouter',
  PORT: '3000',
  HOST: '127.0.0.1',
});

/** An unset or blank variable takes its default (as the services do). */
function valueOf(env, name) {
  const raw = env[name] === undefined ? '' : String(env[name]).trim();
  return raw === '' ? DEFAULTS[name] : raw;
}

/**
 * Reads the variables the stack needs. Returns { settings, errors }: errors are one line each,
 * naming the variable. KAFKA_BROKERS is undefined when unset (then a local broker is used).
 */
function resolveStackSettings(env) {
  const errors = [];
  const portText = valueOf(env, 'PORT');
  const port = /^\d+$/.test(portText) ? Number(portText) : NaN;
  if (!(port >= 1 && port <= 65535)) errors.push(`PORT must be a TCP port (1-65535), got '${portText}'`);
  const brokersRaw = env.KAFKA_BROKERS === undefined ? '' : String(env.KAFKA_BROKERS).trim();
  const settings = {
    databaseUrl: valueOf(env, 'DATABASE_URL'),
    redisUrl: valueOf(env, 'REDIS_URL'),
    kafkaBrokers: brokersRaw === '' ? undefined : brokersRaw,
    schema: valueOf(env, 'TASKROUTER_SCHEMA'),
    topicPrefix: valueOf(env, 'TASKROUTER_TOPIC_PREFIX'),
    port,
    host: valueOf(env, 'HOST'),
  };
  for (const [name, value, protocols] of [
    ['DATABASE_URL', settings.databaseUrl, ['postgres:', 'postgresql:']],
    ['REDIS_URL', settings.redisUrl, ['redis:', 'rediss:']],
  ]) {
    let url;
    try {
      url = new URL(value);
    } catch {
      errors.push(`${name} is not a URL: '${redactUrl(value)}' (expected ${protocols[0]}//host:port/...)`);
      continue;
    }
    if (!protocols.includes(url.protocol)) errors.push(`${name} must start with ${protocols[0]}//, got '${redactUrl(value)}'`);
  }
  return { settings, errors };
}

/** What `npm start` lets callbacks reach beyond the public internet when OUTGOING_URL_ALLOW is unset (libs/contract). */
const DEVELOPMENT_OUTGOING_URL_ALLOW = '127.0.0.0/8,::1,localhost,*.localhost';

/** OUTGOING_URL_ALLOW as given, or loopback (development mode) when unset or blank. */
function outgoingUrlAllow(env) {
  const raw = env.OUTGOING_URL_ALLOW === undefined ? '' : String(env.OUTGOING_URL_ALLOW).trim();
  return raw === '' ? { value: DEVELOPMENT_OUTGOING_URL_ALLOW, development: true } : { value: raw, development: false };
}

/** The one line `npm start` prints when it allows loopback callbacks, or undefined when the operator chose. */
function outgoingUrlNotice(env) {
  const { value, development } = outgoingUrlAllow(env);
  if (!development) return undefined;
  return `development mode: callbacks may go to loopback (OUTGOING_URL_ALLOW=${value}); set OUTGOING_URL_ALLOW to choose instead`;
}

/** The environment every service gets: the caller's, with the resolved values filled in. */
function serviceEnvironment(env, settings, kafkaBrokers) {
  return {
    ...env,
    OUTGOING_URL_ALLOW: outgoingUrlAllow(env).value,
    DATABASE_URL: settings.databaseUrl,
    REDIS_URL: settings.redisUrl,
    KAFKA_BROKERS: kafkaBrokers,
    TASKROUTER_SCHEMA: settings.schema,
    TASKROUTER_TOPIC_PREFIX: settings.topicPrefix,
    PORT: String(settings.port),
    HOST: settings.host,
  };
}

/** A URL without its password, for messages. */
function redactUrl(raw) {
  try {
    const url = new URL(raw);
    if (url.password) url.password = '***';
    return url.toString().replace(/\/$/, raw.endsWith('/') ? '/' : '');
  } catch {
    return String(raw).replace(/\/\/([^:/@]*):[^@/]*@/, '//$1:***@');
  }
}

/** The brokers from kafka-local.sh's stdout (its only stdout line is KAFKA_BROKERS=...). */
function parseKafkaBrokers(stdout) {
  const lines = String(stdout).split(/\r?\n/).map((l) => l.trim());
  for (let i = lines.length - 1; i >= 0; i -= 1) {
    const match = /^KAFKA_BROKERS=(\S+)$/.exec(lines[i]);
    if (match) return match[1];
  }
  return undefined;
}

/** Where a client reaches the API: a wildcard bind address is reached on loopback. */
function apiBaseUrl(host, port) {
  let reach = host;
  if (host === '0.0.0.0' || host === '') reach = '127.0.0.1';
  else if (host === '::' || host === '[::]') reach = '[::1]';
  else if (host.includes(':') && !host.startsWith('[')) reach = `[${host}]`;
  return `http://${reach}:${port}/v1`;
}

/** Credentials for the example: the configured ones, else any AC SID (accepted without a token). */
function exampleCredentials(env) {
  const token = (env.TASKROUTER_AUTH_TOKEN || '').trim();
  if (token === '') return 'AC00000000000000000000000000000001:anytoken';
  return `${(env.TASKROUTER_ACCOUNT_SID || '').trim() || '$TASKROUTER_ACCOUNT_SID'}:$TASKROUTER_AUTH_TOKEN`;
}

/** The lines printed once every service is ready. */
function readyBanner({ apiUrl, credentials, kafkaBrokers, kafkaStartedHere, settings, seconds }) {
  const kafka = kafkaStartedHere ? `${kafkaBrokers} (started by npm start; stopped with it)` : `${kafkaBrokers} (already running; left running)`;
  const rule = '='.repeat(78);
  return [
    rule,
    `TaskRouter is ready in ${seconds.toFixed(1)} s. API: ${apiUrl}`,
    `  Postgres ${redactUrl(settings.databaseUrl)} (schema ${settings.schema})`,
    `  Redis    ${redactUrl(settings.redisUrl)}`,
    `  Kafka    ${kafka}, topic prefix ${settings.topicPrefix}`,
    'Try it (creates a Workspace):',
    `  curl -s -u ${credentials} -X POST ${apiUrl}/Workspaces -d FriendlyName=demo`,
    'Ctrl-C stops the four services' + (kafkaStartedHere ? ' and the Kafka broker.' : '.'),
    rule,
  ];
}

module.exports = { DEFAULTS, DEVELOPMENT_OUTGOING_URL_ALLOW, outgoingUrlNotice, resolveStackSettings, serviceEnvironment, redactUrl, parseKafkaBrokers, apiBaseUrl, exampleCredentials, readyBanner };
