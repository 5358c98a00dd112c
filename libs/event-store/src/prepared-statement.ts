import { createHash } from 'node:crypto';
import type { QueryConfig } from 'pg';

/**
 * A query as a named prepared statement: Postgres parses and plans it once per connection
 * instead of at every call. The name is derived from the text, so the same text always shares
 * one statement and different texts (schemas differ) never collide.
 */
export function prepared(text: string, values: unknown[]): QueryConfig {
  return { name: `s_${createHash('sha1').update(text).digest('hex').slice(0, 24)}`, text, values };
}
