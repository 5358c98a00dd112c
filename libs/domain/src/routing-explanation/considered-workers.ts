import { MAX_CONSIDERED_WORKERS, type ChoiceRule, type ConsideredWorker, type PassedOverReason, type ReservationChoice } from './reservation-choice';

/**
 * Collects the workers a matching attempt passed over, keeping at most enough to list beside the
 * chosen one (MAX_CONSIDERED_WORKERS) and counting the rest: what the matcher notes per worker is
 * one comparison and, for the first few, one small object.
 */
export class ConsideredWorkers {
  private readonly listed: ConsideredWorker[] = [];
  private readonly seen = new Set<string>();
  private unlisted = 0;

  passOver(workerSid: string, reason: PassedOverReason): void {
    if (this.seen.has(workerSid)) return;
    if (this.listed.length < MAX_CONSIDERED_WORKERS - 1) {
      this.seen.add(workerSid);
      this.listed.push({ workerSid, outcome: 'passed_over', reason });
    } else {
      this.unlisted += 1;
    }
  }

  /** Passed over so far (listed and counted). */
  get size(): number {
    return this.listed.length + this.unlisted;
  }

  /**
   * The choice as recorded: the chosen worker first, then those passed over in the order noted,
   * and `ranked_lower` for the qualified workers ranked after it (`rankedAfter`, `rankedAfterCount` in all).
   */
  choose(rule: ChoiceRule, workerSid: string, options: { orderBy?: string; rankedAfter?: readonly string[]; rankedAfterCount?: number } = {}): ReservationChoice {
    const considered: ConsideredWorker[] = [{ workerSid, outcome: 'chosen', reason: rule }];
    for (const entry of this.listed) if (entry.workerSid !== workerSid) considered.push(entry);
    const rankedAfter = (options.rankedAfter ?? []).filter((sid) => sid !== workerSid && !this.seen.has(sid));
    const listedAfter = Math.min(rankedAfter.length, MAX_CONSIDERED_WORKERS - considered.length);
    for (let i = 0; i < listedAfter; i += 1) considered.push({ workerSid: rankedAfter[i], outcome: 'passed_over', reason: 'ranked_lower' });
    const after = Math.max(options.rankedAfterCount ?? rankedAfter.length, listedAfter);
    const notListed = this.unlisted + after - listedAfter;
    return { rule, ...(rule === 'order_by' && options.orderBy ? { orderBy: options.orderBy } : {}), considered, notListed };
  }
}
