import type { DeadLetterCounters } from './dead-letter-counters';
import type { DeadLetterFailure, DeadLetterSource } from './dead-letters';
import type { MessagingLogger } from './messages';

/** Where an operator sees what was set aside; the counters say how often, the table what. */
export class DeadLetterAlarm {
  constructor(
    private readonly logger: MessagingLogger,
    private readonly counters: DeadLetterCounters,
  ) {}

  /** A record failed too often (again, when `reparked`): an error line an operator must act on. */
  parked(letter: DeadLetterSource, failure: DeadLetterFailure, outcome: 'parked' | 'reparked'): void {
    const count = this.counters.count(letter.consumer, outcome);
    this.logger({
      level: 'error',
      source: 'DeadLetters',
      message:
        `Parked a record after ${failure.attempts} failed attempts; its stream's later records are held until ` +
        '`npm run dead-letters -- retry` or `drop`',
      details: { ...whereFrom(letter), attempts: failure.attempts, error: failure.error, [`${outcome}SinceStart`]: count },
    });
  }

  /** A record waits behind its stream's dead letter: a consequence, so only a warning. */
  held(letter: DeadLetterSource): void {
    const count = this.counters.count(letter.consumer, 'held');
    this.logger({ level: 'warn', source: 'DeadLetters', message: "Held a record behind its stream's dead letter", details: { ...whereFrom(letter), heldSinceStart: count } });
  }

  retried(letter: DeadLetterSource): void {
    this.counters.count(letter.consumer, 'retried');
  }
}

function whereFrom(letter: DeadLetterSource): Record<string, unknown> {
  const { consumer, topic, partition, offset, sourceRef, streamKey, eventType } = letter;
  return { consumer, topic, partition, offset, sourceRef, streamKey, eventType };
}
