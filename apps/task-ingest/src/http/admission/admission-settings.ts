import { ConfigError } from '@taskrouter/config';

/**
 * The admission thresholds (docs/limits.md, "Admission under overload"), read once at start.
 * A malformed value stops task-ingest with one line naming the variable.
 */
export interface AdmissionSettings {
  /**
   * Routing backlog, in events, at which new tasks start being refused (503); `null` turns
   * backlog shedding off (no sampling either). Default 5,000: at the 50-100 tasks/s this stack
   * routes on one machine (docs/performance.md), about 8 events per task, some 5-10 s of work.
   */
  readonly backlogHigh: number | null;
  /** Backlog at or below which new tasks are admitted again; default 40% of the high mark. */
  readonly backlogLow: number;
  /** Requests of any kind in flight in this process beyond which a new one gets 429. */
  readonly maxInFlight: number;
  /** Task creations in flight in this process beyond which a new one gets 429; default half of maxInFlight. */
  readonly maxCreatesInFlight: number;
  /** How often the backlog is sampled, off the request path. */
  readonly sampleMs: number;
  /** Upper bound of the `Retry-After` a 503 carries, in seconds. */
  readonly retryAfterMaxSeconds: number;
}

export const ADMISSION_DEFAULTS = {
  backlogHigh: 5000,
  lowFractionOfHigh: 0.4,
  maxInFlight: 256,
  sampleMs: 500,
  retryAfterMaxSeconds: 30,
} as const;

export function readAdmissionSettings(env: NodeJS.ProcessEnv): AdmissionSettings {
  const highText = text(env, 'ADMISSION_BACKLOG_HIGH');
  const backlogHigh = highText?.toLowerCase() === 'off' ? null : integer(env, 'ADMISSION_BACKLOG_HIGH', 1, 100_000_000, ADMISSION_DEFAULTS.backlogHigh, "or 'off'");
  const high = backlogHigh ?? ADMISSION_DEFAULTS.backlogHigh;
  const backlogLow = integer(env, 'ADMISSION_BACKLOG_LOW', 0, 100_000_000, Math.floor(high * ADMISSION_DEFAULTS.lowFractionOfHigh));
  if (backlogHigh !== null && backlogLow >= backlogHigh) {
    throw new ConfigError(`ADMISSION_BACKLOG_LOW (${backlogLow}) must be below ADMISSION_BACKLOG_HIGH (${backlogHigh}), so that shedding, once started, can stop`);
  }
  const maxInFlight = integer(env, 'ADMISSION_MAX_IN_FLIGHT', 1, 1_000_000, ADMISSION_DEFAULTS.maxInFlight);
  const maxCreatesInFlight = integer(env, 'ADMISSION_MAX_CREATES_IN_FLIGHT', 1, 1_000_000, Math.max(1, Math.floor(maxInFlight / 2)));
  if (maxCreatesInFlight > maxInFlight) {
    throw new ConfigError(`ADMISSION_MAX_CREATES_IN_FLIGHT (${maxCreatesInFlight}) must be at most ADMISSION_MAX_IN_FLIGHT (${maxInFlight})`);
  }
  return {
    backlogHigh, backlogLow, maxInFlight, maxCreatesInFlight,
    sampleMs: integer(env, 'ADMISSION_SAMPLE_MS', 50, 10_000, ADMISSION_DEFAULTS.sampleMs),
    retryAfterMaxSeconds: integer(env, 'ADMISSION_RETRY_AFTER_MAX', 1, 3600, ADMISSION_DEFAULTS.retryAfterMaxSeconds),
  };
}

function text(env: NodeJS.ProcessEnv, name: string): string | undefined {
  const raw = env[name]?.trim();
  return raw === undefined || raw === '' ? undefined : raw;
}

/** A decimal integer in [min, max]; unset or empty means the fallback. */
function integer(env: NodeJS.ProcessEnv, name: string, min: number, max: number, fallback: number, alternative = ''): number {
  const raw = text(env, name);
  if (raw === undefined) return fallback;
  const value = /^\d{1,10}$/.test(raw) ? Number(raw) : NaN;
  if (!Number.isSafeInteger(value) || value < min || value > max) {
    throw new ConfigError(`${name} must be an integer from ${min} to ${max}${alternative ? ` ${alternative}` : ''}, got '${raw.slice(0, 64)}'`);
  }
  return value;
}
