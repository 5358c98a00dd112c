/** One `order_by` clause: `worker.<attribute path> ASC|DESC`. */
export interface OrderByClause {
  readonly path: readonly string[];
  readonly descending: boolean;
}

export class OrderByError extends Error {}

/** Parses `"worker.finance ASC, worker.support DESC"`; refuses anything else with a clear reason. */
export function parseOrderBy(source: string): OrderByClause[] {
  return source
    .split(',')
    .map((clause) => clause.trim())
    .filter((clause) => clause !== '')
    .map((clause) => {
      const match = /^worker\.([A-Za-z_$][\w$]*(?:\.[A-Za-z_$][\w$]*)*)(?:\s+(ASC|DESC))?$/i.exec(clause);
      if (!match) throw new OrderByError(`'${clause}' is not of the form worker.<attribute> ASC|DESC`);
      return { path: match[1].split('.'), descending: (match[2] ?? 'ASC').toUpperCase() === 'DESC' };
    });
}

export interface RankableWorker {
  readonly workerSid: string;
  readonly attributes: Record<string, unknown>;
  /** Epoch ms since when the worker has had no task: the longest idle wins a tie. */
  readonly idleSince: number;
}

/**
 * Orders candidates by the clauses, then longest idle first. Only integer attributes order;
 * "workers without a given skill are ordered after those that have a skill", whatever the direction.
 */
export function rankWorkers<W extends RankableWorker>(workers: readonly W[], clauses: readonly OrderByClause[]): W[] {
  return [...workers].sort((a, b) => {
    for (const clause of clauses) {
      const left = integerAt(a.attributes, clause.path);
      const right = integerAt(b.attributes, clause.path);
      if (left === undefined && right === undefined) continue;
      if (left === undefined) return 1;
      if (right === undefined) return -1;
      if (left !== right) return clause.descending ? right - left : left - right;
    }
    return a.idleSince - b.idleSince || (a.workerSid < b.workerSid ? -1 : a.workerSid > b.workerSid ? 1 : 0);
  });
}

function integerAt(attributes: Record<string, unknown>, path: readonly string[]): number | undefined {
  let value: unknown = attributes;
  for (const key of path) {
    // Own properties only: `constructor` or `__proto__` in a path must not reach Object's members.
    if (typeof value !== 'object' || value === null || !Object.hasOwn(value, key)) return undefined;
    value = (value as Record<string, unknown>)[key];
  }
  return typeof value === 'number' && Number.isInteger(value) ? value : undefined;
}
