import type { RequestKind } from './request-kind';

/** The marks between which shedding keeps its previous state (hysteresis), in backlog events. */
export interface BacklogMarks {
  readonly high: number;
  readonly low: number;
}

/** The per-process concurrency bounds. */
export interface InFlightLimits {
  /** Requests of any kind in flight beyond which a new one is refused 429. */
  readonly maxInFlight: number;
  /** Task creations in flight beyond which a new one is refused 429 (leaves room for what drains). */
  readonly maxCreatesInFlight: number;
}

/** What the middleware knows when a request arrives: two counters and a boolean, nothing measured. */
export interface AdmissionState {
  readonly inFlight: number;
  readonly createsInFlight: number;
  /** Set by the backlog sampler through `nextShedding`, never computed per request. */
  readonly shedding: boolean;
  /** What a 503 tells the client (`retryAfterSeconds`), kept current by the sampler. */
  readonly retryAfterSeconds: number;
}

export type AdmissionDecision =
  | { readonly admit: true }
  | { readonly admit: false; readonly reason: 'backlog' | 'in-flight'; readonly status: 503 | 429; readonly retryAfterSeconds: number };

/**
 * Shedding starts when the backlog reaches the high mark and stops only once it has come down
 * to the low mark: in between it stays as it was, so it does not flap at one threshold.
 */
export function nextShedding(wasShedding: boolean, backlog: number, marks: BacklogMarks): boolean {
  if (backlog >= marks.high) return true;
  if (backlog <= marks.low) return false;
  return wasShedding;
}

/** A 429 for concurrency clears as soon as a few requests finish. */
export const IN_FLIGHT_RETRY_AFTER_SECONDS = 1;

/**
 * Admit or refuse one request. Only work-creating requests are shed for the backlog (503): the
 * others read, or drain it. Every request counts against the process's in-flight bound (429
 * beyond it, rather than queueing without bound); creations have a lower bound of their own, so
 * a flood of them still leaves room for the completions, accepts and reads that drain it.
 */
export function decideAdmission(kind: RequestKind, state: AdmissionState, limits: InFlightLimits): AdmissionDecision {
  if (kind === 'creates-work') {
    if (state.shedding) return { admit: false, reason: 'backlog', status: 503, retryAfterSeconds: state.retryAfterSeconds };
    if (state.createsInFlight >= limits.maxCreatesInFlight) return tooManyInFlight;
  }
  if (state.inFlight >= limits.maxInFlight) return tooManyInFlight;
  return admitted;
}

const admitted: AdmissionDecision = { admit: true };
const tooManyInFlight: AdmissionDecision = { admit: false, reason: 'in-flight', status: 429, retryAfterSeconds: IN_FLIGHT_RETRY_AFTER_SECONDS };
