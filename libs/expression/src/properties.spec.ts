// Property tests: the printer and parser agree, evaluation never throws, the compiler's
// fast paths agree with the plain type rules, and no input crashes the parser.
import fc from 'fast-check';
import type { ComparisonOperator, ExpressionNode, OperandNode, PathSegment } from './ast';
import { COMPARISON_OPERATORS } from './ast';
import { compileTree } from './compiler';
import type { BareKeyScope, EvaluationContext } from './context';
import { ExpressionError } from './expression-error';
import { KEYWORDS } from './lexer';
import { parseExpression } from './parser';
import { printExpression } from './printer';
import { resolveKey } from './scope';
import { applyOperator } from './type-rules';

// ---- arbitraries ------------------------------------------------------------------

const identifier = fc.stringMatching(/^[A-Za-z_$é][A-Za-z0-9_$é]{0,6}$/).filter((name) => !KEYWORDS.has(name.toUpperCase()));
const segment: fc.Arbitrary<PathSegment> = fc.oneof(identifier, fc.nat({ max: 20 }));
const anyKey = fc.tuple(identifier, fc.array(segment, { maxLength: 3 })).map(([first, rest]): OperandNode => ({ kind: 'key', path: [first, ...rest] }));
const anyLiteral: fc.Arbitrary<OperandNode> = fc
  .oneof(
    fc.string({ unit: 'binary', maxLength: 8 }),
    fc.string({ unit: fc.constantFrom('\\', '"', "'", 'a', ' ', '\n', '\t', '\u0001', 'é', '\ud83d'), maxLength: 6 }), fc.double({ noNaN: true, noDefaultInfinity: true }), fc.integer(), fc.boolean(), fc.constant(null))
  .map((value) => ({ kind: 'literal', value }));
const operator = fc.constantFrom<ComparisonOperator>(...COMPARISON_OPERATORS);

function expressionArbitrary(key: fc.Arbitrary<OperandNode>, literal: fc.Arbitrary<OperandNode>): fc.Arbitrary<ExpressionNode> {
  const { expression } = fc.letrec<{ operand: OperandNode; expression: ExpressionNode }>((tie) => ({
    operand: fc.oneof(
      { depthSize: 'small', withCrossShrink: true },
      key,
      literal,
      fc.array(tie('operand'), { maxLength: 4 }).map((elements): OperandNode => ({ kind: 'array', elements })),
    ),
    expression: fc.oneof(
      { depthSize: 'small', withCrossShrink: true },
      fc.record({ kind: fc.constant('comparison' as const), operator, left: tie('operand'), right: tie('operand') }),
      fc.record({ kind: fc.constantFrom('and' as const, 'or' as const), operands: fc.array(tie('expression'), { minLength: 2, maxLength: 4 }) }),
    ),
  }));
  return expression;
}

const anyExpression = expressionArbitrary(anyKey, anyLiteral);
const bareKeys = fc.constantFrom<BareKeyScope>('task', 'worker');

// Small pools, so that generated keys hit generated documents and values collide.
const poolKey = fc
  .tuple(fc.constantFrom('task', 'worker', 'taskrouter', 'workers', 'a', 'b', 'sid', 'channel'), fc.array(fc.oneof(fc.constantFrom('a', 'b', 'sid', 'chat', 'x'), fc.nat({ max: 2 })), { maxLength: 3 }))
  .map(([first, rest]): OperandNode => ({ kind: 'key', path: [first, ...rest] }));
const poolScalar = fc.constantFrom<unknown>('en', 'fr', '5', '6.0', '-1', '', 'EN', 5, 6, -1, 0, 1.5, true, false, null);
const poolLiteral = poolScalar.map((value): OperandNode => ({ kind: 'literal', value: value as string }));
const poolValue: fc.Arbitrary<unknown> = fc.letrec<{ value: unknown }>((tie) => ({
  value: fc.oneof(
    { depthSize: 'small' },
    poolScalar,
    fc.array(tie('value'), { maxLength: 3 }),
    fc.dictionary(fc.constantFrom('a', 'b', 'sid', 'chat', 'x'), tie('value'), { maxKeys: 3 }),
  ),
})).value;
const poolDocument = fc.dictionary(fc.constantFrom('a', 'b', 'sid', 'chat', 'x', 'channel', 'task', 'worker'), poolValue, { maxKeys: 5 });
const poolContext: fc.Arbitrary<EvaluationContext> = fc.record(
  {
    task: poolDocument,
    worker: fc.record(
      { sid: fc.constantFrom('en', '5', 'WK1'), attributes: poolDocument, channels: fc.dictionary(fc.constantFrom('chat', 'a'), poolDocument, { maxKeys: 2 }) },
      { requiredKeys: ['attributes'] },
    ),
    taskrouter: poolDocument,
    workers: poolDocument,
  },
  { requiredKeys: [] },
);

// ---- an independent, deliberately naive evaluator ---------------------------------

function naiveRead(path: readonly PathSegment[], context: EvaluationContext, scope: BareKeyScope): unknown {
  const resolved = resolveKey(path, scope);
  let value: unknown;
  switch (resolved.source) {
    case 'task':
      value = context.task;
      break;
    case 'taskrouter':
      value = context.taskrouter;
      break;
    case 'workers':
      value = context.workers;
      break;
    case 'workerAttributes':
      value = context.worker?.attributes;
      break;
    case 'workerChannels':
      value = context.worker?.channels;
      break;
    case 'workerField':
      return (context.worker as unknown as Record<string, unknown> | undefined)?.[resolved.sourcePath[0] as string];
  }
  for (const step of resolved.sourcePath) {
    if (typeof step === 'number') value = Array.isArray(value) ? value[step] : undefined;
    else value = value !== null && typeof value === 'object' && !Array.isArray(value) && Object.prototype.hasOwnProperty.call(value, step) ? (value as Record<string, unknown>)[step] : undefined;
  }
  return value;
}

function naiveOperand(operand: OperandNode, context: EvaluationContext, scope: BareKeyScope): unknown {
  if (operand.kind === 'literal') return operand.value;
  if (operand.kind === 'array') return operand.elements.map((element) => naiveOperand(element, context, scope));
  return naiveRead(operand.path, context, scope);
}

function naiveEvaluate(node: ExpressionNode, context: EvaluationContext, scope: BareKeyScope): boolean {
  if (node.kind === 'and') return node.operands.every((operand) => naiveEvaluate(operand, context, scope));
  if (node.kind === 'or') return node.operands.some((operand) => naiveEvaluate(operand, context, scope));
  if (node.kind !== 'comparison') throw new Error('unreachable');
  return applyOperator(node.operator, naiveOperand(node.left, context, scope), naiveOperand(node.right, context, scope));
}

// ---- properties -------------------------------------------------------------------

describe('properties', () => {
  it('printing and re-parsing gives the same tree', () => {
    fc.assert(
      fc.property(anyExpression, (tree) => {
        expect(parseExpression(printExpression(tree))).toEqual(tree);
      }),
      { numRuns: 2000 },
    );
  });

  it('evaluation never throws and always gives a boolean, whatever the documents', () => {
    const anyContext = fc.oneof(
      fc.record({
        task: fc.anything(),
        worker: fc.oneof(fc.anything(), fc.record({ sid: fc.anything(), attributes: fc.anything(), channels: fc.anything() })),
        taskrouter: fc.anything(),
        workers: fc.anything(),
      }),
      fc.anything(),
    );
    fc.assert(
      fc.property(anyExpression, bareKeys, anyContext, fc.constantFrom('generated' as const, 'closures' as const), (tree, scope, context, engine) => {
        const result = compileTree(tree, { bareKeys: scope, engine }).evaluate(context as EvaluationContext);
        expect(typeof result).toBe('boolean');
      }),
      { numRuns: 2000 },
    );
  });

  it.each(['generated', 'closures'] as const)('the %s engine agrees with a naive evaluator of the type rules', (engine) => {
    fc.assert(
      fc.property(expressionArbitrary(poolKey, poolLiteral), bareKeys, poolContext, (tree, scope, context) => {
        expect(compileTree(tree, { bareKeys: scope, engine }).evaluate(context)).toBe(naiveEvaluate(tree, context, scope));
      }),
      { numRuns: 5000 },
    );
  });

  const fragments = fc.constantFrom(
    'a', 'task.x', 'worker.sid', 'x[0]', ' ', '(', ')', '[', ']', ',', '==', '=', '!=', '<', '<=', '>', '>=', '>-', '<-',
    'AND', 'or', 'NOT', 'IN', 'has', 'CONTAINS', 'true', 'null', '"s"', "'t'", '"', "'", '\\', '1', '-2.5', '1e3', '.', '-', '!', '&&', '#', '\n',
  );
  const tokenSoup = fc.array(fragments, { maxLength: 14 }).map((parts) => parts.join(' '));

  it('random input never crashes the parser: a tree or a clean ExpressionError', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string({ unit: 'binary', maxLength: 40 }), tokenSoup, tokenSoup.map((text) => text.replace(/ /g, ''))), (source) => {
        try {
          const tree = parseExpression(source);
          expect(parseExpression(printExpression(tree))).toEqual(tree);
        } catch (error) {
          expect(error).toBeInstanceOf(ExpressionError);
          const { column, line, offset, message } = error as ExpressionError;
          expect(offset).toBeGreaterThanOrEqual(0);
          expect(offset).toBeLessThanOrEqual(source.length);
          expect(line).toBeGreaterThanOrEqual(1);
          expect(column).toBeGreaterThanOrEqual(1);
          expect(message).toMatch(/at (line \d+, )?column \d+/);
        }
      }),
      { numRuns: 5000 },
    );
  });
});
