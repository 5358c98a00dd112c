// Schema names end up inside SQL text and in a NOTIFY channel name (at most 63 bytes), so
// they are restricted to plain lower-case identifiers instead of being escaped.
const plainIdentifier = /^[a-z_][a-z0-9_]{0,39}$/;

export function assertSchemaName(schema: string): string {
  if (!plainIdentifier.test(schema)) {
    throw new Error(`Invalid event store schema name "${schema}": use 1-40 of [a-z0-9_], not starting with a digit`);
  }
  return schema;
}

/** The NOTIFY channel on which the store announces appends to the given schema. */
export function eventsAppendedChannel(schema: string): string {
  return `${assertSchemaName(schema)}_events_appended`;
}
