import type { ExpressionNode } from './ast';
import { ExpressionError } from './expression-error';
import { MAX_NESTING_DEPTH, parseExpression } from './parser';

const key = (...path: (string | number)[]) => ({ kind: 'key', path });
const literal = (value: string | number | boolean | null) => ({ kind: 'literal', value });
const compare = (left: unknown, operator: string, right: unknown) => ({ kind: 'comparison', operator, left, right });

function errorOf(source: string): ExpressionError {
  try {
    parseExpression(source);
  } catch (error) {
    if (error instanceof ExpressionError) return error;
    throw error;
  }
  throw new Error(`expected ${JSON.stringify(source)} to be refused`);
}

describe('parser', () => {
  it('parses a comparison of a key and a literal', () => {
    expect(parseExpression("type == 'ticket'")).toEqual(compare(key('type'), '==', literal('ticket')));
  });

  it.each([
    ['a = 1', '=='],
    ['a == 1', '=='],
    ['a != 1', '!='],
    ['a < 1', '<'],
    ['a <= 1', '<='],
    ['a > 1', '>'],
    ['a >= 1', '>='],
    ['a CONTAINS 1', 'CONTAINS'],
    ['a contains 1', 'CONTAINS'],
    ['a HAS 1', 'HAS'],
    ['a >- 1', 'HAS'],
    ['a IN 1', 'IN'],
    ['a in 1', 'IN'],
    ['a <- 1', 'IN'],
    ['a NOT IN 1', 'NOT IN'],
    ['a not in 1', 'NOT IN'],
  ])('reads %j as the operator %s', (source, operator) => {
    expect((parseExpression(source) as { operator: string }).operator).toBe(operator);
  });

  it('parses literals of every kind and arrays, including nested arrays and keys in arrays', () => {
    expect(parseExpression("x IN ['a', \"b\", 1.5, -2, true, FALSE, Null, [1], y.z, []]")).toEqual(
      compare(key('x'), 'IN', {
        kind: 'array',
        elements: [literal('a'), literal('b'), literal(1.5), literal(-2), literal(true), literal(false), literal(null), { kind: 'array', elements: [literal(1)] }, key('y', 'z'), { kind: 'array', elements: [] }],
      }),
    );
  });

  it('lets AND bind tighter than OR', () => {
    const tree = parseExpression('a == 1 OR b == 2 AND c == 3') as ExpressionNode & { kind: 'or' };
    expect(tree.kind).toBe('or');
    expect(tree.operands.map((operand) => operand.kind)).toEqual(['comparison', 'and']);
  });

  it('flattens a chain of one operator and keeps parenthesised groups as children', () => {
    const flat = parseExpression('a == 1 OR b == 1 OR c == 1') as unknown as { kind: string; operands: unknown[] };
    expect(flat.operands).toHaveLength(3);
    const grouped = parseExpression('(a == 1 OR b == 1) OR c == 1') as unknown as { kind: string; operands: Array<{ kind: string }> };
    expect(grouped.operands.map((operand) => operand.kind)).toEqual(['or', 'comparison']);
  });

  it('ignores redundant parentheses', () => {
    expect(parseExpression('((a == 1))')).toEqual(parseExpression('a == 1'));
  });

  it('compares two literals when the left side is quoted (the docs\' "language" == "spanish")', () => {
    expect(parseExpression('"language" == "spanish"')).toEqual(compare(literal('language'), '==', literal('spanish')));
  });

  it.each([
    ['language IN', 12, 'a value', 'expected a value after IN at column 12, found end of expression'],
    ['language IN  )', 14, 'a value', "expected a value after IN at column 14, found ')'"],
    ['', 1, 'an expression', 'expected an expression at column 1'],
    ['   ', 4, 'an expression', 'expected an expression at column 4'],
    ['a', 2, 'an operator', 'expected an operator (==, !=, <, <=, >, >=, CONTAINS, HAS, IN or NOT IN) after the key a at column 2'],
    ['a == 1 b == 2', 8, 'AND, OR or the end of the expression', "at column 8, found 'b'"],
    ['a == 1 AND', 11, 'a comparison', 'expected a comparison after AND at column 11'],
    ['a == 1 OR OR b == 1', 11, 'a comparison', 'expected a comparison after OR'],
    ['(a == 1', 8, "')'", "expected ')' at column 8, found end of expression (to close the '(' at column 1)"],
    ['a == 1)', 7, 'AND, OR or the end of the expression', "has no matching '('"],
    ['NOT a == 1', 1, 'a comparison', 'unary NOT is not supported'],
    ['a NOT HAS 1', 7, 'IN', 'expected IN after NOT'],
    ['a IN [1, 2', 11, "',' or ']'", 'in the array that starts at column 6'],
    ['a IN [1,]', 9, 'a value', "expected a value after ','"],
    ['a == AND', 6, 'a value', 'expected a value after =='],
    ['(a == 1) == 2', 10, 'AND, OR or the end of the expression', ''],
    ['a == 1\nAND b ==', 9, 'a value', 'at line 2, column 9'],
  ])('refuses %j at column %i expecting %s', (source, column, expected, words) => {
    const error = errorOf(source);
    expect(error.column).toBe(column);
    expect(error.expected).toBe(expected);
    expect(error.message).toContain(words);
  });

  it('refuses nesting deeper than the limit with an ExpressionError, not a stack overflow', () => {
    const deep = `${'('.repeat(10_000)}a == 1${')'.repeat(10_000)}`;
    expect(errorOf(deep).message).toContain(`at most ${MAX_NESTING_DEPTH} levels`);
    const deepArray = `a IN ${'['.repeat(10_000)}`;
    expect(errorOf(deepArray).message).toContain(`at most ${MAX_NESTING_DEPTH} levels`);
    const allowed = `${'('.repeat(MAX_NESTING_DEPTH)}a == 1${')'.repeat(MAX_NESTING_DEPTH)}`;
    expect(parseExpression(allowed)).toEqual(parseExpression('a == 1'));
  });

  it('refuses a non-string source with an ExpressionError', () => {
    expect(() => parseExpression(undefined as unknown as string)).toThrow(ExpressionError);
  });
});
