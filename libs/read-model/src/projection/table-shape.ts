import { prepared } from '@taskrouter/event-store';
import type { QueryConfig } from 'pg';
import type { NetChanges } from './row-changes';

export type SqlType = 'text' | 'int' | 'boolean' | 'timestamptz' | 'jsonb';

export interface Column {
  readonly name: string;
  readonly type: SqlType;
}

/** What the set-based statements need to know about one current-state table. */
export interface TableShape {
  readonly table: string;
  /** The columns that name one row for updates. */
  readonly key: readonly Column[];
  /** Every column an insert writes. */
  readonly columns: readonly Column[];
  /** Columns an update may set to a value (bit i of an update's mask is settable[i]). */
  readonly settable: readonly Column[];
  /** Integer columns updates move by `max(x + add, floor)`. */
  readonly counters: readonly Column[];
  /** The column deletes match, if the table has deletes. */
  readonly deleteBy?: string;
}

export const column = (name: string, type: SqlType): Column => ({ name, type });

/** The values of an update record, in this order: key, mask, settable, then add and floor per counter. */
export function updateRecordColumns(shape: TableShape): Column[] {
  return [
    ...shape.key,
    column('set_mask', 'int'),
    ...shape.settable,
    ...shape.counters.flatMap((c) => [column(`${c.name}_add`, 'int'), column(`${c.name}_floor`, 'int')]),
  ];
}

/**
 * The multi-row statements of one table, written once per schema. Rows travel as one jsonb
 * array of arrays per statement, values in column order: one parameter whatever the batch
 * size, so the text is fixed and the statement is prepared once per connection, and jsonb
 * columns take the objects as they are, with no second encoding. (Measured against
 * `jsonb_to_recordset` of objects, `json_to_recordset` and `unnest` of typed arrays, whose
 * jsonb elements are parsed twice: the least for Node to write and for Postgres to read.)
 */
export class TableStatements {
  private readonly insertSql: string;
  private readonly updateSql: string;
  private readonly deleteSql: string | undefined;

  constructor(schema: string, private readonly shape: TableShape) {
    const table = `"${schema}".${shape.table}`;
    const names = shape.columns.map((c) => c.name).join(', ');
    this.insertSql = `INSERT INTO ${table} (${names}) SELECT ${valuesOf(shape.columns)} FROM jsonb_array_elements($1::jsonb) AS r`;

    const updateColumns = updateRecordColumns(shape);
    const assignments = [
      ...shape.settable.map((c, bit) => `${c.name} = CASE WHEN c.set_mask & ${1 << bit} <> 0 THEN c.${c.name} ELSE t.${c.name} END`),
      // A row no event of the batch moved a counter of carries add 0 and no floor: unchanged.
      ...shape.counters.map((c) => `${c.name} = greatest(t.${c.name} + coalesce(c.${c.name}_add, 0), c.${c.name}_floor)`),
    ];
    this.updateSql = `UPDATE ${table} AS t SET ${assignments.join(', ')}
      FROM (SELECT ${updateColumns.map((c, i) => `${valueAt(c, i)} AS ${c.name}`).join(', ')} FROM jsonb_array_elements($1::jsonb) AS r) AS c
      WHERE ${shape.key.map((k) => `t.${k.name} = c.${k.name}`).join(' AND ')}`;

    const deleteBy = shape.columns.find((c) => c.name === shape.deleteBy);
    this.deleteSql = deleteBy && `DELETE FROM ${table} WHERE ${deleteBy.name} = ANY($1::${deleteBy.type}[])`;
  }

  /** DELETE, UPDATE, INSERT, as far as there is something to do: the order RowChanges requires. */
  statements(changes: NetChanges): QueryConfig[] {
    const statements: QueryConfig[] = [];
    if (changes.deletes.length > 0) {
      if (!this.deleteSql) throw new Error(`${this.shape.table} has no deletes`);
      statements.push(prepared(this.deleteSql, [changes.deletes]));
    }
    if (changes.updates.length > 0) statements.push(prepared(this.updateSql, [JSON.stringify(changes.updates)]));
    if (changes.inserts.length > 0) statements.push(prepared(this.insertSql, [JSON.stringify(changes.inserts.map((row) => this.shape.columns.map((c) => row[c.name])))]));
    return statements;
  }
}

const valuesOf = (columns: readonly Column[]): string => columns.map(valueAt).join(', ');

/** Element i of the row array `r` as the column's type; a JSON null is SQL NULL for every type. */
function valueAt(c: Column, i: number): string {
  if (c.type === 'jsonb') return `nullif(r->${i}, 'null'::jsonb)`;
  if (c.type === 'text') return `r->>${i}`;
  return `(r->>${i})::${c.type}`;
}

/**
 * The shape most read-model tables have: keyed by `sid`, owned by one parent column
 * (`workspace_sid`, `account_sid`), with `date_created` written once and `settable` by updates.
 */
export function sidKeyedShape(table: string, owner: string, settable: readonly Column[], options: { deletable: boolean }): TableShape {
  return {
    table,
    key: [column('sid', 'text')],
    columns: [column('sid', 'text'), column(owner, 'text'), ...settable, column('date_created', 'timestamptz')],
    settable,
    counters: [],
    ...(options.deletable ? { deleteBy: 'sid' } : {}),
  };
}
