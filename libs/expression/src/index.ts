// TaskRouter expressions: parse (errors with position), print, compile to closures,
// list what an expression reads. Pure: no I/O, no clock. See docs/expressions.md.
export type {
  ArrayNode,
  ComparisonNode,
  ComparisonOperator,
  ExpressionNode,
  KeyNode,
  LiteralNode,
  LogicalNode,
  OperandNode,
  PathSegment,
  ScalarValue,
} from './ast';
export { COMPARISON_OPERATORS } from './ast';
export type { BareKeyScope, EvaluationContext, ExpressionRead, ReadScope, WorkerFacts, WorkerField } from './context';
export { WORKER_FIELDS } from './context';
export { ExpressionError, type SourcePosition } from './expression-error';
export { MAX_NESTING_DEPTH, parseExpression } from './parser';
export { printExpression, printPath } from './printer';
export { compileExpression, compileOptionalExpression, compileTree, type CompiledExpression, type CompileOptions } from './compiler';
export { collectReads } from './reads';
export { resolveKey, type ResolvedKey } from './scope';
export { applyOperator } from './type-rules';
export { EXPRESSION_PLACES, type ExpressionPlace } from './places';
export { timeOfDayVariables, type TimeOfDayVariables } from './time-of-day';
export { workerFactsFromFlatDocument } from './worker-facts';
