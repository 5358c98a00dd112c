/**
 * The entry stored under `key` in one of an aggregate's records (channels by unique name,
 * activities and reservations by SID), or undefined. Keys come from requests, so a plain
 * `record[key]` would answer `Object.prototype`'s members for `constructor`, `toString` or
 * `__proto__` as if they were entries; only the record's own properties count.
 */
export function ownEntry<V>(record: Readonly<Record<string, V>>, key: string): V | undefined {
  return Object.hasOwn(record, key) ? record[key] : undefined;
}
