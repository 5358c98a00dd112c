/** How much one destination may take at once, and how much may wait for it. */
export interface DestinationLimits {
  /** Calls to one destination under way at once. */
  readonly concurrency: number;
  /** Calls waiting for one destination beyond those under way; past it a call is dropped. */
  readonly maxQueued: number;
}

/** The answer of `run` for a call its destination's full queue could not take. */
export const DROPPED = Symbol('dropped: the destination already has as many calls waiting as it may');

interface Destination {
  active: number;
  readonly waiting: Array<() => void>;
}

/**
 * A queue per destination (an origin: scheme, host and port): each runs at most `concurrency`
 * calls at once and keeps at most `maxQueued` waiting, so a slow or dead endpoint delays only
 * its own calls and holds a bounded amount of memory; other destinations never wait behind it.
 * A destination with nothing running or waiting is forgotten.
 */
export class DestinationQueues {
  private readonly destinations = new Map<string, Destination>();

  constructor(private readonly limits: DestinationLimits) {
    if (!(limits.concurrency >= 1 && limits.maxQueued >= 0)) throw new Error(`Destination limits must allow a call, not ${JSON.stringify(limits)}`);
  }

  /** Runs `call` when its destination has room; DROPPED at once when its queue is full. */
  async run<T>(destination: string, call: () => Promise<T>): Promise<T | typeof DROPPED> {
    let state = this.destinations.get(destination);
    if (!state) {
      state = { active: 0, waiting: [] };
      this.destinations.set(destination, state);
    }
    if (state.active >= this.limits.concurrency) {
      if (state.waiting.length >= this.limits.maxQueued) return DROPPED;
      // Woken by a call that ended, which hands over its room (`active` still counts it).
      await new Promise<void>((resolve) => state!.waiting.push(resolve));
    } else {
      state.active++;
    }
    try {
      return await call();
    } finally {
      const next = state.waiting.shift();
      if (next) {
        next();
      } else if (--state.active === 0) {
        this.destinations.delete(destination);
      }
    }
  }

  /** Calls under way and waiting for one destination, for diagnostics and tests. */
  load(destination: string): { active: number; waiting: number } {
    const state = this.destinations.get(destination);
    return { active: state?.active ?? 0, waiting: state?.waiting.length ?? 0 };
  }

  /** Destinations with calls under way or waiting. */
  get size(): number {
    return this.destinations.size;
  }
}

/** The destination a URL's calls queue for: its origin, so every path of one endpoint shares a queue. */
export function destinationOf(url: string): string {
  return URL.canParse(url) ? new URL(url).origin : url;
}
