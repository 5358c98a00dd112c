import { createHash } from 'node:crypto';
import type { QueryConfig } from 'pg';

/** Statement texts come from a few templates per schema; past this many names, the memory starts over. */
const MAX_REMEMBERED_NAMES = 10_000;
const names = new Map<string, string>();

/**
 * A query as a named prepared statement: Postgres parses and plans it once per connection
 * instead of at every call. The name is derived from the text, so the same text always shares
 * one statement and different texts (schemas differ) never collide. It is hashed once per text,
 * not at every call: every append and read passes through here.
 */
export function prepared(text: string, values: unknown[]): QueryConfig {
  let name = names.get(text);
  if (name === undefined) {
    if (names.size >= MAX_REMEMBERED_NAMES) names.clear();
    name = `s_${createHash('sha1').update(text).digest('hex').slice(0, 24)}`;
    names.set(text, name);
  }
  return { name, text, values };
}
