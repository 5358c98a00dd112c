/** How an Updated event's `changes` name the columns they set: field → column. */
export interface ChangeColumns {
  /** Set only to a value: a null or missing field leaves the column as it is. */
  readonly valued: ReadonlyArray<readonly [field: string, column: string]>;
  /** Set whenever named, to null too: a change may clear them. */
  readonly clearable?: ReadonlyArray<readonly [field: string, column: string]>;
}

/** The columns an Updated event sets, with its time as `date_updated`. */
export function changedColumns(at: unknown, changes: Record<string, unknown>, columns: ChangeColumns): Record<string, unknown> {
  const set: Record<string, unknown> = { date_updated: at };
  for (const [field, column] of columns.valued) if (changes[field] != null) set[column] = changes[field];
  for (const [field, column] of columns.clearable ?? []) if (field in changes) set[column] = changes[field] ?? null;
  return set;
}
