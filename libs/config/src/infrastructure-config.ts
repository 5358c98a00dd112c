import { ConfigError } from './config-error';
import { redactUrl } from './redact-url';

/** Where the services find Postgres, Redis and Kafka, and how they name their objects there. */
export interface InfrastructureConfig {
  databaseUrl: string;
  redisUrl: string;
  kafkaBrokers: string[];
  /** Postgres schema of the event store and projections. */
  schema: string;
  /** Every Kafka topic name starts with this. */
  topicPrefix: string;
}

export const INFRASTRUCTURE_DEFAULTS = {
  DATABASE_URL: 'postgres://postgres@127.0.0.1:5432/test',
  REDIS_URL: 'redis://127.0.0.1:6379',
  KAFKA_BROKERS: '127.0.0.1:9092',
  TASKROUTER_SCHEMA: 'taskrouter',
  TASKROUTER_TOPIC_PREFIX: 'taskrouter',
} as const;

type Variable = keyof typeof INFRASTRUCTURE_DEFAULTS;

/**
 * Reads and validates the infrastructure variables once, at start. Unset or empty variables take
 * their defaults (this machine's local services); a malformed value is a ConfigError naming it.
 */
export function readInfrastructureConfig(env: NodeJS.ProcessEnv): InfrastructureConfig {
  const value = (name: Variable): string => {
    const raw = env[name]?.trim();
    return raw === undefined || raw === '' ? INFRASTRUCTURE_DEFAULTS[name] : raw;
  };
  return {
    databaseUrl: serviceUrl('DATABASE_URL', value('DATABASE_URL'), ['postgres:', 'postgresql:']),
    redisUrl: serviceUrl('REDIS_URL', value('REDIS_URL'), ['redis:', 'rediss:']),
    kafkaBrokers: kafkaBrokers(value('KAFKA_BROKERS')),
    schema: postgresSchema(value('TASKROUTER_SCHEMA')),
    topicPrefix: topicPrefix(value('TASKROUTER_TOPIC_PREFIX')),
  };
}

function serviceUrl(name: Variable, raw: string, protocols: string[]): string {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new ConfigError(`${name} is not a URL: '${redactUrl(raw)}' (expected ${protocols[0]}//host:port/...)`);
  }
  if (!protocols.includes(url.protocol)) {
    throw new ConfigError(`${name} must start with ${protocols.map((p) => `${p}//`).join(' or ')}, got '${redactUrl(raw)}'`);
  }
  if (url.hostname === '') throw new ConfigError(`${name} has no host: '${redactUrl(raw)}'`);
  return raw;
}

function kafkaBrokers(raw: string): string[] {
  const brokers = raw.split(',').map((b) => b.trim());
  for (const broker of brokers) {
    // host:port or [ipv6]:port, no scheme: what kafkajs expects.
    const match = /^(\[[0-9a-fA-F:.]+\]|[A-Za-z0-9._-]+):(\d+)$/.exec(broker);
    const port = match ? Number(match[2]) : 0;
    if (!match || port < 1 || port > 65535) {
      throw new ConfigError(`KAFKA_BROKERS must be a comma-separated list of host:port, got '${raw}' ('${broker}' is not host:port)`);
    }
  }
  return brokers;
}

function postgresSchema(raw: string): string {
  // Unquoted Postgres identifier, within the 63-byte limit: safe to interpolate into SQL.
  if (!/^[a-z_][a-z0-9_]{0,62}$/.test(raw)) {
    throw new ConfigError(`TASKROUTER_SCHEMA must be a lower-case Postgres identifier ([a-z_][a-z0-9_]*, at most 63 characters), got '${raw}'`);
  }
  return raw;
}

function topicPrefix(raw: string): string {
  // Kafka topic names allow [a-zA-Z0-9._-], at most 249 characters; leave room for the suffixes.
  if (!/^[A-Za-z0-9._-]{1,200}$/.test(raw)) {
    throw new ConfigError(`TASKROUTER_TOPIC_PREFIX may hold only letters, digits, '.', '_' and '-' (at most 200), got '${raw}'`);
  }
  return raw;
}
