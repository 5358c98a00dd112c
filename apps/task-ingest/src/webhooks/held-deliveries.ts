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

  constructor(private readonly lanes: KeyedLanes, private readonly log: (line: string) => void) {}

  /** Starts `work` for `record` (which `consumer` is handling now); `what` names it in a failure's log line. */
  start(consumer: EventConsumer, record: ConsumedRecord, key: string, what: string, work: () => Promise<void>): void {
    const finished = consumer.holdUntilFinished(record);
    const delivery = this.lanes.run(key, work).catch((error: unknown) => {
      if (!this.stopped) this.log(`${what} given up: ${(error instanceof Error ? error.message : String(error)).slice(0, 300)}`);
    }).finally(() => {
      this.underWay.delete(delivery);
      finished();
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

  /** After the consumer stopped: gives what is under way a moment, then leaves it to be made again. */
  async stop(): Promise<void> {
    this.stopped = true;
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([Promise.allSettled([...this.underWay]), new Promise((resolve) => (timer = setTimeout(resolve, STOP_GRACE_MS)))]);
    clearTimeout(timer);
  }
}
