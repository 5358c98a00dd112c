import type { CompiledExpression } from '@taskrouter/expression';

export const MEMO_UNKNOWN = 0;
export const MEMO_TRUE = 1;
export const MEMO_FALSE = 2;

/**
 * Remembers a worker expression's answer per worker slot for the batch when nothing else it reads
 * can change: not the task (each task has its own attributes), not the worker's channel state
 * (capacity goes down as reservations are made). The time of day is one instant per batch and
 * attributes do not change within it. A queue's tasks mostly share one target, so most checks
 * after the first task are an array read.
 */
export class ExpressionMemo {
  private readonly answers = new Map<CompiledExpression, Uint8Array | null>();

  constructor(private readonly slotCount: number) {}

  /** The answer per slot (0 unknown, 1 true, 2 false), or undefined when the expression must be evaluated every time. */
  answersFor(expression: CompiledExpression): Uint8Array | undefined {
    let answers = this.answers.get(expression);
    if (answers === undefined) {
      answers = dependsOnlyOnWorkerAndClock(expression) ? new Uint8Array(this.slotCount) : null;
      this.answers.set(expression, answers);
    }
    return answers ?? undefined;
  }
}

function dependsOnlyOnWorkerAndClock(expression: CompiledExpression): boolean {
  return expression.reads.every((read) => (read.scope === 'worker' && !read.path.startsWith('channel.')) || read.scope === 'taskrouter');
}
