/**
 * Telling a poison record from a sick dependency. A handler that fails because Postgres, Redis
 * or Kafka is unreachable would fail on every record: parking them would empty the partition
 * into the dead-letter table during an outage. Those failures are retried without limit; only
 * the others count towards parking.
 */

/** Node's socket and DNS errors: the other side is unreachable, not the record wrong. */
const NETWORK_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH', 'ECONNABORTED']);

/**
 * Postgres SQLSTATEs that pass: connection exceptions (08), insufficient resources (53), operator
 * intervention such as a shutdown or a cancelled query (57), serialization failures and deadlocks
 * (40001, 40P01), lock not available (55P03).
 */
const TRANSIENT_SQLSTATE = /^(08|53|57)...$|^40001$|^40P01$|^55P03$/;

/** Messages of the pg and ioredis clients when their connection is gone (they carry no code). */
const CONNECTION_MESSAGES = [
  /connection terminated/i, /timeout exceeded when trying to connect/i, /connection is closed/i,
  /not queryable/i, /the database system is (starting up|shutting down)/i, /max retries per request/i,
];

/**
 * Redis's own refusals that say the server cannot serve right now (full under `noeviction`, a
 * replica after failover, a failed save, a busy script, loading its data, a cluster reshard).
 * ioredis reports them as a ReplyError whose message starts with the Redis error code.
 */
const REDIS_BUSY_REPLY = /^(OOM|READONLY|MISCONF|BUSY|LOADING|CLUSTERDOWN|TRYAGAIN|MASTERDOWN|NOREPLICAS)\b/;

/** The error, its causes and, for an AggregateError, its members. */
export function errorChain(error: unknown): unknown[] {
  const chain: unknown[] = [];
  const pending = [error];
  while (pending.length > 0 && chain.length < 20) {
    const next = pending.shift();
    if (next === undefined || next === null || chain.includes(next)) continue;
    chain.push(next);
    if (typeof next === 'object') {
      const { cause, errors } = next as { cause?: unknown; errors?: unknown };
      pending.push(cause);
      if (Array.isArray(errors)) pending.push(...errors);
    }
  }
  return chain;
}

/** True when the failure says a dependency is down or busy, not that the record is bad. */
export function isTransientFailure(error: unknown): boolean {
  return errorChain(error).some((link) => {
    if (typeof link !== 'object' || link === null) return false;
    const { code, name, message, retriable } = link as { code?: unknown; name?: unknown; message?: unknown; retriable?: unknown };
    if (typeof code === 'string' && (NETWORK_CODES.has(code) || TRANSIENT_SQLSTATE.test(code))) return true;
    // kafkajs says itself whether trying again can help; a retried-out error wraps such a cause.
    if (typeof name === 'string' && name.startsWith('KafkaJS') && (retriable === true || name === 'KafkaJSNumberOfRetriesExceeded')) return true;
    if (name === 'MaxRetriesPerRequestError') return true;
    if (name === 'ReplyError' && typeof message === 'string' && REDIS_BUSY_REPLY.test(message)) return true;
    return typeof message === 'string' && CONNECTION_MESSAGES.some((pattern) => pattern.test(message));
  });
}

/**
 * The broker's answers that concern the records sent, not the cluster: resending the same record
 * fails the same way, and other records go through. Anything else (authorization, unknown topic,
 * no broker) concerns every record, so the relay keeps retrying from its checkpoint instead.
 */
const RECORD_REJECTIONS = new Set(['MESSAGE_TOO_LARGE', 'RECORD_LIST_TOO_LARGE', 'INVALID_RECORD', 'INVALID_TIMESTAMP', 'CORRUPT_MESSAGE']);

/** True when Kafka refused the records themselves (for example "message too large"). */
export function isRecordRejection(error: unknown): boolean {
  return errorChain(error).some((link) => {
    const { name, type } = (link ?? {}) as { name?: unknown; type?: unknown };
    return name === 'KafkaJSProtocolError' && typeof type === 'string' && RECORD_REJECTIONS.has(type);
  });
}

/** The idempotent producer's sequence numbers no longer match the broker's: only a new producer recovers. */
export function isSequenceLost(error: unknown): boolean {
  return errorChain(error).some((link) => (link as { type?: unknown } | null)?.type === 'OUT_OF_ORDER_SEQUENCE_NUMBER');
}

/** One line for the dead-letter table and the alarm: name, message, Postgres's detail and code, bounded. */
export function describeFailure(error: unknown, maxLength = 4000): string {
  let text: string;
  if (error instanceof Error) {
    const { code, detail } = error as { code?: unknown; detail?: unknown };
    text = `${error.name}: ${error.message}${typeof detail === 'string' ? `: ${detail}` : ''}${code !== undefined ? ` (code ${String(code)})` : ''}`;
  } else if (typeof error === 'object' && error !== null) {
    try {
      text = JSON.stringify(error);
    } catch {
      text = String(error);
    }
  } else {
    text = String(error);
  }
  return text.length > maxLength ? `${text.slice(0, maxLength)}… (${text.length} characters)` : text;
}
