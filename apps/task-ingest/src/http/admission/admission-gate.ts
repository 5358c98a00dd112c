import { decideAdmission, nextShedding, type AdmissionDecision, type BacklogMarks, type InFlightLimits } from './admission-policy';
import { nextDrainRate, type DrainSample } from './drain-rate';
import type { RequestKind } from './request-kind';
import { retryAfterSeconds } from './retry-after';
import { describeBacklog, totalBacklog, type RoutingBacklog } from './routing-backlog';

export interface AdmissionGateOptions {
  readonly limits: InFlightLimits;
  /** Null: backlog shedding off (only the in-flight bounds apply). */
  readonly marks: BacklogMarks | null;
  readonly retryAfterMaxSeconds: number;
  /** One line when shedding starts and when it stops. */
  readonly log: (line: string) => void;
}

/** What the gate has done since start, for a metrics endpoint or a log line. */
export interface AdmissionCounters {
  admitted: number;
  shedForBacklog: number;
  refusedInFlight: number;
}

/**
 * The process's admission state: the in-flight counters the middleware moves, and the shedding
 * flag and `Retry-After` the sampler sets. A request costs a comparison or two and an increment
 * (`admit`), and a decrement when its answer is done (`release`); everything measured happens
 * in `observe`, on the sampler's timer.
 */
export class AdmissionGate {
  /** Read by decideAdmission as it is, without a copy per request. */
  private readonly state: { inFlight: number; createsInFlight: number; shedding: boolean; retryAfterSeconds: number };
  private drainRate: number | undefined;
  private lastSample: DrainSample | undefined;
  private shedSinceStart = 0;
  readonly counters: AdmissionCounters = { admitted: 0, shedForBacklog: 0, refusedInFlight: 0 };

  constructor(private readonly options: AdmissionGateOptions) {
    this.state = { inFlight: 0, createsInFlight: 0, shedding: false, retryAfterSeconds: options.retryAfterMaxSeconds };
  }

  /** Decides one request; when admitted it counts as in flight until `release(kind)`. */
  admit(kind: RequestKind): AdmissionDecision {
    const decision = decideAdmission(kind, this.state, this.options.limits);
    if (decision.admit) {
      this.state.inFlight++;
      if (kind === 'creates-work') this.state.createsInFlight++;
      this.counters.admitted++;
    } else if (decision.reason === 'backlog') {
      this.counters.shedForBacklog++;
    } else {
      this.counters.refusedInFlight++;
    }
    return decision;
  }

  release(kind: RequestKind): void {
    this.state.inFlight--;
    if (kind === 'creates-work') this.state.createsInFlight--;
  }

  /** The work-item intake asks this before turning an item into a task. */
  get createsAdmitted(): boolean {
    return !this.state.shedding;
  }

  /** A new backlog reading (from the sampler): hysteresis, drain rate and `Retry-After` move here only. */
  observe(reading: RoutingBacklog, atMs: number): void {
    const marks = this.options.marks;
    if (!marks) return;
    const backlog = totalBacklog(reading);
    const sample = { atMs, backlog, logHead: reading.logHead };
    this.drainRate = nextDrainRate(this.drainRate, this.lastSample, sample);
    this.lastSample = sample;
    const retryAfter = retryAfterSeconds(backlog, this.drainRate, marks.low, this.options.retryAfterMaxSeconds);
    this.state.retryAfterSeconds = retryAfter;
    const wasShedding = this.state.shedding;
    const shedding = nextShedding(wasShedding, backlog, marks);
    if (shedding && !wasShedding) {
      this.shedSinceStart = this.counters.shedForBacklog;
      this.options.log(`admission: routing backlog ${describeBacklog(reading)} reached ADMISSION_BACKLOG_HIGH (${marks.high}): `
        + `new tasks are refused with 503 (Retry-After ${retryAfter} s) until it is at most ${marks.low}`);
    } else if (!shedding && wasShedding) {
      this.options.log(`admission: routing backlog down to ${describeBacklog(reading)}: new tasks admitted again `
        + `(${this.counters.shedForBacklog - this.shedSinceStart} refused meanwhile)`);
    }
    this.state.shedding = shedding;
  }

  /** For tests and diagnostics. */
  snapshot() {
    return { ...this.state, drainPerSecond: this.drainRate, ...this.counters };
  }
}
