import { pause } from './pause';

export interface WorkItemAdmission {
  /** Resolves when a work item may become a task, or after `maxWaitMs` anyway, or when `signal` aborts. */
  waitForCreates(signal: AbortSignal): Promise<void>;
}

/**
 * Work items arrive on Kafka, not over HTTP, and cannot be answered 503: while task creations
 * are shed, the intake holds each item (it stays uncommitted on its topic, so nothing is lost)
 * and looks again every `pollMs`. A hold is bounded (`maxWaitMs`, well under the consumer's
 * 30 s session, since a handler that waits does not heartbeat): after it the item goes through,
 * so the intake slows to one item per `maxWaitMs` per partition it consumes instead of stopping.
 */
export function holdWorkItemsWhileShedding(createsAdmitted: () => boolean, options: { pollMs: number; maxWaitMs: number }): WorkItemAdmission {
  return {
    async waitForCreates(signal) {
      const deadline = Date.now() + options.maxWaitMs;
      while (!createsAdmitted() && !signal.aborted && Date.now() < deadline) {
        await pause(Math.min(options.pollMs, Math.max(0, deadline - Date.now())), signal);
      }
    },
  };
}
