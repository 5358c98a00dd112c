// What each operator means for each pair of value types. These functions are the
// specification; the compiler only adds fast paths that must agree with them (a property
// test checks that it does).
//
// Vocabulary: a *scalar* is a string, number or boolean; *null* is a JSON null or a
// missing key (undefined); anything else (arrays, objects) is not a scalar.
//   - Scalar operators (== != < <= > >= CONTAINS) on an array or object are false.
//   - Array operators (HAS IN NOT IN) without an array on the array side are false.
//   - `x == null` / `x != null` test presence and work on any type (docs: `preferred_agents != null`).
//   - A number and a numeric string compare as numbers ("6" > 5); two strings compare as strings.
//   - Strings compare case-sensitively, by UTF-16 code units.
import type { ComparisonOperator } from './ast';

export type Scalar = string | number | boolean;

export function isNull(value: unknown): value is null | undefined {
  return value === null || value === undefined;
}

export function isScalar(value: unknown): value is Scalar {
  const type = typeof value;
  return type === 'string' || type === 'number' || type === 'boolean';
}

/** A member of an array operation's scalar side: a scalar or null. */
export function isScalarOrNull(value: unknown): boolean {
  return value === null || value === undefined || isScalar(value);
}

// Decimal only, as in the expression language itself: no spaces, hex, `Infinity` or empty string.
const NUMERIC_STRING = /^-?(?:\d+(?:\.\d+)?|\.\d+)(?:[eE][+-]?\d+)?$/;

export function isNumericString(value: string): boolean {
  return NUMERIC_STRING.test(value);
}

/** The number a number or a numeric string stands for; NaN for anything else. */
export function numericValue(value: unknown): number {
  if (typeof value === 'number') return value;
  if (typeof value === 'string' && NUMERIC_STRING.test(value)) return Number(value);
  return NaN;
}

function scalarsEqual(left: Scalar, right: Scalar): boolean {
  if (left === right) return true;
  if (typeof left === 'number' && typeof right === 'string') return left === numericValue(right);
  if (typeof left === 'string' && typeof right === 'number') return numericValue(left) === right;
  return false;
}

export function equals(left: unknown, right: unknown): boolean {
  if (isNull(left) || isNull(right)) return isNull(left) && isNull(right);
  if (!isScalar(left) || !isScalar(right)) return false;
  return scalarsEqual(left, right);
}

export function notEquals(left: unknown, right: unknown): boolean {
  if (isNull(left) || isNull(right)) return !(isNull(left) && isNull(right));
  if (!isScalar(left) || !isScalar(right)) return false;
  return !scalarsEqual(left, right);
}

/**
 * Negative, zero or positive when the two values are ordered; NaN when they are not
 * (null, booleans, arrays, objects, a number against a non-numeric string), which makes
 * every ordering operator false.
 */
export function order(left: unknown, right: unknown): number {
  if (typeof left === 'string' && typeof right === 'string') return left < right ? -1 : left > right ? 1 : 0;
  if (typeof left === 'number' || typeof right === 'number') return compareNumbers(numericValue(left), numericValue(right));
  return NaN;
}

function compareNumbers(left: number, right: number): number {
  return left < right ? -1 : left > right ? 1 : left === right ? 0 : NaN;
}

/** Substring test on strings and numbers (`phone CONTAINS 415`); false for anything else. */
export function contains(left: unknown, right: unknown): boolean {
  const leftType = typeof left;
  const rightType = typeof right;
  if ((leftType !== 'string' && leftType !== 'number') || (rightType !== 'string' && rightType !== 'number')) return false;
  return String(left).includes(String(right));
}

/** Membership uses `==`: numeric strings match numbers, null matches null. */
export function isMember(array: readonly unknown[], value: unknown): boolean {
  for (let i = 0; i < array.length; i++) if (equals(array[i], value)) return true;
  return false;
}

export function has(left: unknown, right: unknown): boolean {
  return Array.isArray(left) && isScalarOrNull(right) && isMember(left, right);
}

export function isIn(left: unknown, right: unknown): boolean {
  return Array.isArray(right) && isScalarOrNull(left) && isMember(right, left);
}

/** Not the negation of IN: with no array on the right, or an array on the left, it is false too. */
export function isNotIn(left: unknown, right: unknown): boolean {
  return Array.isArray(right) && isScalarOrNull(left) && !isMember(right, left);
}

export function applyOperator(operator: ComparisonOperator, left: unknown, right: unknown): boolean {
  switch (operator) {
    case '==':
      return equals(left, right);
    case '!=':
      return notEquals(left, right);
    case '<':
      return order(left, right) < 0;
    case '<=':
      return order(left, right) <= 0;
    case '>':
      return order(left, right) > 0;
    case '>=':
      return order(left, right) >= 0;
    case 'CONTAINS':
      return contains(left, right);
    case 'HAS':
      return has(left, right);
    case 'IN':
      return isIn(left, right);
    case 'NOT IN':
      return isNotIn(left, right);
  }
}
