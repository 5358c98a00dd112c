// Compiles one comparison into a predicate closure. The meaning is always that of
// type-rules.ts; when one side is a constant, a specialised closure does the same work
// with fewer checks (a property test compares both on random data).
import type { ComparisonOperator } from './ast';
import type { EvaluationContext } from './context';
import type { ValueReader } from './key-reader';
import { applyOperator, contains, equals, has, isIn, isMember, isNotIn, isNumericString, isScalarOrNull, notEquals, numericValue, order } from './type-rules';

export type Predicate = (context: EvaluationContext) => boolean;

/** An operand after compilation: a value known now, or a reader for one known later. */
export type CompiledOperand = { readonly constant: true; readonly value: unknown } | { readonly constant: false; readonly read: ValueReader };

export interface CompiledComparison {
  readonly predicate: Predicate;
  /** Set when the result does not depend on the context (`1 == 1`). */
  readonly constant?: boolean;
}

const MIRRORED: Partial<Record<ComparisonOperator, ComparisonOperator>> = {
  '==': '==',
  '!=': '!=',
  '<': '>',
  '<=': '>=',
  '>': '<',
  '>=': '<=',
  IN: 'HAS', // `"HR" IN skills` is `skills HAS "HR"`
};

export function constantPredicate(value: boolean): Predicate {
  return value ? () => true : () => false;
}

export function compileComparison(operator: ComparisonOperator, left: CompiledOperand, right: CompiledOperand): CompiledComparison {
  if (left.constant && right.constant) {
    const value = applyOperator(operator, left.value, right.value);
    return { predicate: constantPredicate(value), constant: value };
  }
  if (!left.constant && right.constant) {
    const fast = againstConstant(operator, left.read, right.value);
    if (fast) return { predicate: fast };
  }
  const mirrored = MIRRORED[operator];
  if (left.constant && !right.constant && mirrored) {
    const fast = againstConstant(mirrored, right.read, left.value);
    if (fast) return { predicate: fast };
  }
  const readLeft = readerOf(left);
  const readRight = readerOf(right);
  const apply = operatorFunction(operator);
  return { predicate: (context) => apply(readLeft(context), readRight(context)) };
}

function readerOf(operand: CompiledOperand): ValueReader {
  if (!operand.constant) return operand.read;
  const value = operand.value;
  return () => value;
}

function operatorFunction(operator: ComparisonOperator): (left: unknown, right: unknown) => boolean {
  switch (operator) {
    case '==':
      return equals;
    case '!=':
      return notEquals;
    case '<':
      return (left, right) => order(left, right) < 0;
    case '<=':
      return (left, right) => order(left, right) <= 0;
    case '>':
      return (left, right) => order(left, right) > 0;
    case '>=':
      return (left, right) => order(left, right) >= 0;
    case 'CONTAINS':
      return contains;
    case 'HAS':
      return has;
    case 'IN':
      return isIn;
    case 'NOT IN':
      return isNotIn;
  }
}

function isPlainString(value: unknown): value is string {
  return typeof value === 'string' && !isNumericString(value);
}

/** A closure for `key <operator> constant`, or undefined when the generic one will do. */
function againstConstant(operator: ComparisonOperator, read: ValueReader, constant: unknown): Predicate | undefined {
  switch (operator) {
    case '==':
      if (constant === null) return (context) => read(context) == null;
      if (typeof constant === 'boolean' || isPlainString(constant)) return (context) => read(context) === constant;
      if (typeof constant === 'number') {
        return (context) => {
          const value = read(context);
          return value === constant || (typeof value === 'string' && numericValue(value) === constant);
        };
      }
      return undefined;
    case '!=':
      if (constant === null) return (context) => read(context) != null;
      if (isPlainString(constant)) {
        return (context) => {
          const value = read(context);
          if (typeof value === 'string') return value !== constant;
          return value == null || typeof value === 'number' || typeof value === 'boolean';
        };
      }
      return undefined;
    case '<':
    case '<=':
    case '>':
    case '>=':
      return typeof constant === 'number' ? orderedAgainstNumber(operator, read, constant) : undefined;
    case 'HAS':
      if (isPlainString(constant)) {
        return (context) => {
          const value = read(context);
          return Array.isArray(value) && value.includes(constant);
        };
      }
      return undefined;
    case 'IN':
    case 'NOT IN':
      return membershipInConstant(operator, read, constant);
    default:
      return undefined;
  }
}

function orderedAgainstNumber(operator: '<' | '<=' | '>' | '>=', read: ValueReader, constant: number): Predicate {
  const numberOf = (context: EvaluationContext): number => {
    const value = read(context);
    return typeof value === 'number' ? value : typeof value === 'string' ? numericValue(value) : NaN;
  };
  switch (operator) {
    case '<':
      return (context) => numberOf(context) < constant;
    case '<=':
      return (context) => numberOf(context) <= constant;
    case '>':
      return (context) => numberOf(context) > constant;
    case '>=':
      return (context) => numberOf(context) >= constant;
  }
}

function membershipInConstant(operator: 'IN' | 'NOT IN', read: ValueReader, constant: unknown): Predicate {
  const wanted = operator === 'IN';
  if (!Array.isArray(constant)) return constantPredicate(false);
  if (constant.every(isPlainString)) {
    // Only a string can equal a non-numeric string, so a Set lookup decides it.
    const members = new Set<string>(constant);
    return (context) => {
      const value = read(context);
      if (typeof value === 'string') return members.has(value) === wanted;
      return !wanted && isScalarOrNull(value);
    };
  }
  return (context) => {
    const value = read(context);
    return isScalarOrNull(value) && isMember(constant, value) === wanted;
  };
}
