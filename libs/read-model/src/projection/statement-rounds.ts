import { prepared } from '@taskrouter/event-store';
import type { QueryConfig } from 'pg';

const WRITTEN_TABLE = /^\s*(?:UPDATE|INSERT\s+INTO|DELETE\s+FROM)\s+((?:"[^"]+"|\w+)\.)?("[^"]+"|\w+)/i;

/** The table a projection statement writes, when it is one that may join others; undefined: it stands alone. */
function joinableTable(statement: QueryConfig): string | undefined {
  if ((statement.values?.length ?? 0) === 0) return undefined;
  return WRITTEN_TABLE.exec(statement.text)?.[2];
}

/**
 * A batch's projection statements as few round trips as they can be: one statement per round,
 * the others of the round as data-modifying CTEs of it. Every CTE of a statement sees the tables as
 * the statement began and a row may be changed once per statement, so a round holds at most one
 * statement per table, a table's statements stay in their order (its delete, update, insert in
 * rounds one after the other), and a statement that reads another table (the accept join that
 * must see the tables before the batch) sees them as it would have when run first. The
 * projector's statements read no table that another statement of the batch writes before them.
 * Each round is a prepared statement: the set of tables a batch touches takes few shapes.
 */
export function statementRounds(statements: readonly QueryConfig[]): QueryConfig[] {
  const rounds: QueryConfig[][] = [];
  const roundOfTable = new Map<string, number>();
  // Nothing moves across a statement that stands alone: rounds up to it are closed.
  let firstOpenRound = 0;
  for (const statement of statements) {
    const table = joinableTable(statement);
    if (table === undefined) {
      rounds.push([statement]);
      firstOpenRound = rounds.length;
      continue;
    }
    const round = Math.max(firstOpenRound, (roundOfTable.get(table) ?? -1) + 1);
    if (round === rounds.length) rounds.push([]);
    rounds[round].push(statement);
    roundOfTable.set(table, round);
  }
  return rounds.map((round) => (round.length === 1 ? round[0] : combined(round)));
}

function combined(round: readonly QueryConfig[]): QueryConfig {
  const values: unknown[] = [];
  const parts = round.map((statement, i) => {
    const offset = values.length;
    values.push(...(statement.values ?? []));
    // $10 is matched whole before $1: parameters renumbered by their own number.
    const text = statement.text.replace(/\$(\d+)/g, (_match, n: string) => `$${Number(n) + offset}`);
    return `w${i} AS (${text})`;
  });
  return prepared(`WITH ${parts.join(',\n')}\nSELECT 1`, values);
}
