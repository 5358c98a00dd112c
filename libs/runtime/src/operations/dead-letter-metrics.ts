import { DEAD_LETTER_OUTCOMES, type DeadLetterCounters } from '@taskrouter/messaging';
import { Counter, type Registry } from 'prom-client';

/** The dead-letter counters since start (docs/operations.md, "Dead letters"), by consumer group (or relay) and outcome. */
export function registerDeadLetterMetrics(registry: Registry, counters: DeadLetterCounters): void {
  new Counter({
    name: 'taskrouter_dead_letters_total', help: 'Records this process parked, held behind a parked one, retried successfully or parked again, by consumer and outcome',
    labelNames: ['consumer', 'outcome'], registers: [registry],
    collect() {
      this.reset();
      for (const [consumer, counts] of Object.entries(counters.snapshot().byConsumer)) {
        for (const outcome of DEAD_LETTER_OUTCOMES) this.inc({ consumer, outcome }, counts[outcome]);
      }
    },
  });
}
