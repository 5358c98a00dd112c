import { TimerChanges, type TimerChangeTarget } from './timer-changes';

interface Waiting {
  readonly changes: TimerChanges;
  readonly resolve: () => void;
  readonly reject: (error: unknown) => void;
}

/**
 * Group commit for the batches of the partitions consumed at once: while one statement is in
 * flight, the changes that arrive wait and then go together in the next one. An idle consumer
 * writes each batch at once: nothing waits for a timer. Each caller's promise settles only after
 * its own changes are written. The partitions' batches change different tasks (a task's events
 * share a partition, and its batches come one after another), so their order within a group
 * does not matter. A group that fails is written again member by member, so that only its own
 * cause fails a batch (a value Postgres refuses, say).
 */
export class TimerChangeGroups implements TimerChangeTarget {
  private waiting: Waiting[] = [];
  private inFlight = false;

  constructor(private readonly target: TimerChangeTarget) {}

  apply(changes: TimerChanges): Promise<void> {
    if (changes.isEmpty) return Promise.resolve();
    return new Promise((resolve, reject) => {
      this.waiting.push({ changes, resolve, reject });
      this.writeNext();
    });
  }

  private writeNext(): void {
    if (this.inFlight || this.waiting.length === 0) return;
    const group = this.waiting;
    this.waiting = [];
    this.inFlight = true;
    void this.write(group).finally(() => {
      this.inFlight = false;
      this.writeNext();
    });
  }

  private async write(group: Waiting[]): Promise<void> {
    if (group.length > 1) {
      const together = new TimerChanges();
      for (const member of group) together.append(member.changes);
      try {
        await this.target.apply(together);
        for (const member of group) member.resolve();
        return;
      } catch {
        // Each member alone below: the error is reported to whichever member causes it.
      }
    }
    for (const member of group) await this.target.apply(member.changes).then(member.resolve, member.reject);
  }
}
