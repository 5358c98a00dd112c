export const DEAD_LETTER_OUTCOMES = ['parked', 'held', 'retried', 'reparked'] as const;
export type DeadLetterOutcome = (typeof DEAD_LETTER_OUTCOMES)[number];
export type DeadLetterCounts = Record<DeadLetterOutcome, number>;

const zero = (): DeadLetterCounts => ({ parked: 0, held: 0, retried: 0, reparked: 0 });

/**
 * The alarm's counter: how many records this process parked, held back, retried successfully
 * and parked again, per consumer. The dead-letter table is the durable count; this one says
 * what happened since the process started, for a metrics endpoint or a log line.
 */
export class DeadLetterCounters {
  private readonly byConsumer = new Map<string, DeadLetterCounts>();

  /** Adds one and returns the consumer's new count for that outcome. */
  count(consumer: string, outcome: DeadLetterOutcome): number {
    const counts = this.byConsumer.get(consumer) ?? zero();
    this.byConsumer.set(consumer, counts);
    return ++counts[outcome];
  }

  snapshot(): { total: DeadLetterCounts; byConsumer: Record<string, DeadLetterCounts> } {
    const total = zero();
    const byConsumer: Record<string, DeadLetterCounts> = {};
    for (const [consumer, counts] of this.byConsumer) {
      byConsumer[consumer] = { ...counts };
      for (const outcome of DEAD_LETTER_OUTCOMES) total[outcome] += counts[outcome];
    }
    return { total, byConsumer };
  }
}
