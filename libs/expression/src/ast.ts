// The syntax tree of a TaskRouter expression. It is purely syntactic: aliases are
// normalised (`=` is `==`, `>-` is HAS, `<-` is IN), parentheses leave no node of their
// own, and keys keep their raw path. What a key *means* (task, worker, taskrouter.*,
// workers.*) is decided later by the scope rules, because the same text means different
// things in a queue's target_workers and in a workflow filter.

export type ComparisonOperator = '==' | '!=' | '<' | '<=' | '>' | '>=' | 'CONTAINS' | 'HAS' | 'IN' | 'NOT IN';

export const COMPARISON_OPERATORS: readonly ComparisonOperator[] = ['==', '!=', '<', '<=', '>', '>=', 'CONTAINS', 'HAS', 'IN', 'NOT IN'];

export type ScalarValue = string | number | boolean | null;

/** A constant: `"text"`, `'text'`, `1.5`, `true`, `false`, `null`. */
export interface LiteralNode {
  readonly kind: 'literal';
  readonly value: ScalarValue;
}

/** `[operand, operand, ...]`; elements may be literals, keys or nested arrays. */
export interface ArrayNode {
  readonly kind: 'array';
  readonly elements: readonly OperandNode[];
}

/** A path segment: a name (`.name`) or an array index (`[2]`). */
export type PathSegment = string | number;

/** `object.array[2]`: the first segment is always a name. */
export interface KeyNode {
  readonly kind: 'key';
  readonly path: readonly PathSegment[];
}

export type OperandNode = LiteralNode | ArrayNode | KeyNode;

export interface ComparisonNode {
  readonly kind: 'comparison';
  readonly operator: ComparisonOperator;
  readonly left: OperandNode;
  readonly right: OperandNode;
}

/**
 * `a AND b AND c` is one node with three operands (the parser flattens a chain of the
 * same operator); a parenthesised group stays a child node, so printing and re-parsing
 * gives back the same tree.
 */
export interface LogicalNode {
  readonly kind: 'and' | 'or';
  readonly operands: readonly ExpressionNode[];
}

export type ExpressionNode = LogicalNode | ComparisonNode;
