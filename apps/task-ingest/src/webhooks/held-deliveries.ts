import type { ConsumedRecord, EventConsumer } from '@taskrouter/messaging';
import type { KeyedLanes } from './keyed-lanes';

/** How long `stop` lets deliveries under way finish before it leaves them to be made again. */
const STOP_GRACE_MS = 1_000;

/**
 * Outgoing calls that go on after their record's handler returned, so the partition does not
 * wait for an app: each is run in its key's lane (one resource's calls in order), and the record's
 * offset is held until it ended, so one under way at a crash is made again from the log.
 */
export class HeldDeliveries {
  private readonly underWay = new Set<Promise<void>>();
  private stopped = false;

  /**
   * `onFailure`: what a delivery that threw leaves behind. `release`: its offset goes on (the
   * failure is logged; an assignment callback given up leaves its reservation to time out).
   * `redeliver`: its offset stays held, so the record is delivered again after a restart or a
   * rebalance (event callbacks: a database away must not lose them).
   */
  constructor(private readonly lanes: KeyedLanes, private readonly log: (line: string) => void, private readonly onFailure: 'release' | 'redeliver' = 'release') {}

  /** Starts `work` for `record` (which `consumer` is handling now); `what` names it in a failure's log line. */
  start(consumer: EventConsumer, record: ConsumedRecord, key: string, what: string, work: () => Promise<void>): void {
    const finished = consumer.holdUntilFinished(record);
    let failed = false;
    const delivery = this.lanes.run(key, work).catch((error: unknown) => {
      failed = true;
      const reason = (error instanceof Error ? error.message : String(error)).slice(0, 300);
      if (!this.stopped) this.log(`${what} ${this.onFailure === 'release' ? 'given up' : 'left to be delivered again'}: ${reason}`);
    }).finally(() => {
      this.underWay.delete(delivery);
      if (!failed || this.onFailure === 'release') finished();
    });
    this.underWay.add(delivery);
  }

  /** True once stopping: steps are not tried again, and a failure is not worth a line. */
  get stopping(): boolean {
    return this.stopped;
  }

  resume(): void {
    this.stopped = false;
  }

  /** While the consumer stops (its `drain`): gives what is under way a moment to finish and be committed, then leaves the rest to be made again. */
  async stop(): Promise<void> {
    this.stopped = true;
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([Promise.allSettled([...this.underWay]), new Promise((resolve) => (timer = setTimeout(resolve, STOP_GRACE_MS)))]);
    clearTimeout(timer);
  }
}
