import { prepared } from '@taskrouter/event-store';
import type { QueryConfig } from 'pg';

const WRITTEN_TABLE = /^\s*(?:UPDATE|INSERT\s+INTO|DELETE\s+FROM)\s+((?:"[^"]+"|\w+)\.)?("[^"]+"|\w+)/i;

/** The table a projection statement writes; statements the pattern does not know each stand alone. */
function writtenTable(statement: QueryConfig): string | undefined {
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
  for (const statement of statements) {
    const table = writtenTable(statement);
    if (table === undefined || (statement.values?.length ?? 0) === 0) {
      rounds.push([statement]);
      continue;
    }
    // After the table's last statement and after every statement that stands alone.
    let round = Math.max(roundOfTable.get(table) ?? -1, lastAloneRound(rounds)) + 1;
    while (round < rounds.length && !joinable(rounds[round])) round++;
    if (round === rounds.length) rounds.push([]);
    rounds[round].push(statement);
    roundOfTable.set(table, round);
  }
  return rounds.map((round) => (round.length === 1 ? round[0] : combined(round)));
}

function joinable(round: readonly QueryConfig[]): boolean {
  return round.every((statement) => writtenTable(statement) !== undefined && (statement.values?.length ?? 0) > 0);
}

function lastAloneRound(rounds: readonly QueryConfig[][]): number {
  for (let i = rounds.length - 1; i >= 0; i--) if (!joinable(rounds[i])) return i;
  return -1;
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
