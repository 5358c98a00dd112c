import { isDeepStrictEqual } from 'node:util';

/** Where two snapshots first differ, as a path with both values, for the operator to look at. */
export function firstDifference(before: unknown, after: unknown, path = '$'): string {
  if (isDeepStrictEqual(before, after)) return 'no difference';
  if (typeof before === 'object' && before !== null && typeof after === 'object' && after !== null) {
    const keys = new Set([...Object.keys(before), ...Object.keys(after)]);
    for (const key of keys) {
      const b = (before as Record<string, unknown>)[key];
      const a = (after as Record<string, unknown>)[key];
      if (!isDeepStrictEqual(b, a)) return firstDifference(b, a, `${path}.${key}`);
    }
  }
  return `${path}: live ${JSON.stringify(before)}, rebuilt ${JSON.stringify(after)}`;
}
