import type { QueryConfig } from 'pg';
import { statementRounds } from './statement-rounds';

const statement = (text: string, ...values: unknown[]): QueryConfig => ({ text, values });

describe('statementRounds', () => {
  it('writes statements of different tables in one statement, parameters renumbered', () => {
    const rounds = statementRounds([
      statement('UPDATE "s".rm_workers AS t SET a = c.a FROM jsonb_array_elements($1::jsonb) c', 'w'),
      statement('INSERT INTO "s".rm_tasks (sid) SELECT r->>0 FROM jsonb_array_elements($1::jsonb) AS r', 't'),
      statement('DELETE FROM "s".rm_reservations WHERE sid = ANY($1::text[]) OR x = $2', ['r'], 'x'),
    ]);
    expect(rounds).toHaveLength(1);
    expect(rounds[0].values).toEqual(['w', 't', ['r'], 'x']);
    expect(rounds[0].text).toContain('w0 AS (UPDATE "s".rm_workers AS t SET a = c.a FROM jsonb_array_elements($1::jsonb) c)');
    expect(rounds[0].text).toContain('w1 AS (INSERT INTO "s".rm_tasks (sid) SELECT r->>0 FROM jsonb_array_elements($2::jsonb) AS r)');
    expect(rounds[0].text).toContain('w2 AS (DELETE FROM "s".rm_reservations WHERE sid = ANY($3::text[]) OR x = $4)');
    expect(rounds[0].name).toMatch(/^s_/);
  });

  it('keeps a table to one statement per round, in its order', () => {
    const rounds = statementRounds([
      statement('UPDATE "s".rm_worker_channels wc SET n = 1 FROM x WHERE y = $1', 'join'),
      statement('DELETE FROM "s".rm_tasks WHERE sid = ANY($1::text[])', 'del'),
      statement('UPDATE "s".rm_worker_channels AS t SET n = 2 WHERE k = $1', 'upd'),
      statement('INSERT INTO "s".rm_tasks (sid) VALUES ($1)', 'ins'),
      statement('INSERT INTO "s".rm_worker_channels (sid) VALUES ($1)', 'wc-ins'),
    ]);
    expect(rounds.map((round) => round.values)).toEqual([['join', 'del'], ['upd', 'ins'], ['wc-ins']]);
  });

  it('leaves a statement it does not recognise alone, and nothing moves across it', () => {
    const rounds = statementRounds([
      statement('UPDATE "s".rm_workers SET a = $1', 1),
      statement('WITH x AS (SELECT 1) UPDATE "s".rm_tasks SET a = $1', 2),
      statement('UPDATE "s".rm_tasks SET b = $1', 3),
      statement('UPDATE "s".rm_reservations SET c = $1', 4),
    ]);
    expect(rounds.map((round) => round.values)).toEqual([[1], [2], [3, 4]]);
    expect(rounds[1].text).toBe('WITH x AS (SELECT 1) UPDATE "s".rm_tasks SET a = $1');
  });

  it('renumbers $10 and above as whole numbers', () => {
    const values = Array.from({ length: 10 }, (_, i) => i + 1);
    const [round] = statementRounds([statement('INSERT INTO a VALUES ($1)', 0), statement(`INSERT INTO b VALUES (${values.map((v) => `$${v}`).join(', ')})`, ...values)]);
    expect(round.text).toContain('INSERT INTO b VALUES ($2, $3, $4, $5, $6, $7, $8, $9, $10, $11)');
  });

  it('passes a single statement through unchanged', () => {
    const only = statement('UPDATE "s".rm_workers SET a = $1', 1);
    expect(statementRounds([only])).toEqual([only]);
    expect(statementRounds([])).toEqual([]);
  });
});
