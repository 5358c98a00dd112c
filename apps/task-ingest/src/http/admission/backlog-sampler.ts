import type { RelayBacklog } from './relay-backlog';
import type { RoutingBacklog } from './routing-backlog';

/** Where the two halves of a reading come from (Postgres for the relay, Kafka for the groups). */
export interface BacklogSources {
  relay(): Promise<RelayBacklog>;
  /** [workflow-evaluator lag, queue-matcher lag]. */
  consumers(): Promise<readonly [number, number]>;
}

export interface BacklogSamplerOptions {
  readonly intervalMs: number;
  /** A stage whose readings failed for this long counts as unknown (0) rather than as its last value. */
  readonly staleAfterMs: number;
  readonly nowMs?: () => number;
  /** One line per change of a stage's health (failing, measured again), never per tick. */
  readonly log: (line: string) => void;
}

interface Stage<T> {
  value: T;
  measuredAt: number;
  failing: boolean;
}

/**
 * Samples the routing backlog on a timer, never on the request path: each tick reads both
 * stages at once and hands the combined reading to `onReading`. The next tick is scheduled
 * after the previous one finished, so a slow broker or database never piles samples up. A stage
 * that fails keeps its last value until `staleAfterMs`, then counts as 0 and is named in
 * `unknown`: admission then leans on what it can still see (a relay that cannot publish because
 * Kafka is down still shows in the relay's count) instead of refusing work on a guess.
 */
export class BacklogSampler {
  private readonly nowMs: () => number;
  private readonly relay: Stage<RelayBacklog>;
  private readonly consumers: Stage<readonly [number, number]>;
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private stopped = false;

  constructor(
    private readonly sources: BacklogSources,
    private readonly onReading: (reading: RoutingBacklog, atMs: number) => void,
    private readonly options: BacklogSamplerOptions,
  ) {
    this.nowMs = options.nowMs ?? Date.now;
    const start = this.nowMs();
    this.relay = { value: { unrelayed: 0, logHead: 0 }, measuredAt: start, failing: false };
    this.consumers = { value: [0, 0], measuredAt: start, failing: false };
  }

  /** Takes the first reading (so a restart during a backlog sheds from its first request), then ticks. */
  async start(): Promise<void> {
    this.stopped = false;
    await this.tick();
  }

  /** Stops ticking; waits at most `graceMs` for a sample in progress (its connections are closed after). */
  async stop(graceMs = 1000): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    if (this.running) await Promise.race([this.running, new Promise((resolve) => setTimeout(resolve, graceMs).unref())]);
  }

  /** One sample, now; the next is scheduled when it is done. */
  tick(): Promise<void> {
    this.running ??= this.sample().finally(() => {
      this.running = undefined;
      if (!this.stopped) {
        this.timer = setTimeout(() => void this.tick(), this.options.intervalMs);
        this.timer.unref();
      }
    });
    return this.running;
  }

  private async sample(): Promise<void> {
    const [relay, consumers] = await Promise.allSettled([this.sources.relay(), this.sources.consumers()]);
    const now = this.nowMs();
    this.update(this.relay, relay, now, 'the outbox relay\'s backlog (Postgres)');
    this.update(this.consumers, consumers, now, 'the routing consumer groups\' lag (Kafka)');
    const unknown: ('relay' | 'consumers')[] = [];
    const fresh = <T>(stage: Stage<T>, name: 'relay' | 'consumers', zero: T): T => {
      if (now - stage.measuredAt <= this.options.staleAfterMs) return stage.value;
      unknown.push(name);
      return zero;
    };
    const relayNow = fresh(this.relay, 'relay', { unrelayed: 0, logHead: this.relay.value.logHead });
    const [evaluator, matcher] = fresh(this.consumers, 'consumers', [0, 0] as const);
    this.onReading({ relay: relayNow.unrelayed, evaluator, matcher, logHead: relayNow.logHead, unknown }, now);
  }

  private update<T>(stage: Stage<T>, result: PromiseSettledResult<T>, now: number, what: string): void {
    if (result.status === 'fulfilled') {
      if (stage.failing) this.options.log(`admission: measuring ${what} again`);
      Object.assign(stage, { value: result.value, measuredAt: now, failing: false });
      return;
    }
    if (!stage.failing) {
      const reason = result.reason instanceof Error ? result.reason.message : String(result.reason);
      this.options.log(`admission: could not measure ${what}: ${reason.slice(0, 300)}; using the last value for ${this.options.staleAfterMs} ms, then not counting it`);
    }
    stage.failing = true;
  }
}
