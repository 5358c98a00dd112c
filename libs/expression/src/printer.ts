// Prints a tree back to canonical source: operators upper-case, aliases in their main
// spelling, strings double-quoted, every nested AND/OR group parenthesised (the reader
// should not need to know that AND binds tighter than OR). parse(print(tree)) == tree.
import type { ExpressionNode, LiteralNode, OperandNode, PathSegment } from './ast';

export function printExpression(node: ExpressionNode): string {
  if (node.kind === 'comparison') return `${printOperand(node.left)} ${node.operator} ${printOperand(node.right)}`;
  const joiner = node.kind === 'and' ? ' AND ' : ' OR ';
  return node.operands.map((operand) => (operand.kind === 'comparison' ? printExpression(operand) : `(${printExpression(operand)})`)).join(joiner);
}

export function printOperand(operand: OperandNode): string {
  switch (operand.kind) {
    case 'literal':
      return printLiteral(operand);
    case 'array':
      return `[${operand.elements.map(printOperand).join(', ')}]`;
    case 'key':
      return printPath(operand.path);
  }
}

/** `object.array[2]`; also the form used for a read's path. */
export function printPath(path: readonly PathSegment[]): string {
  let text = '';
  for (const segment of path) {
    if (typeof segment === 'number') text += `[${segment}]`;
    else text += text === '' ? segment : `.${segment}`;
  }
  return text;
}

function printLiteral(literal: LiteralNode): string {
  const value = literal.value;
  if (value === null) return 'null';
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  if (typeof value === 'number') return Object.is(value, -0) ? '-0' : String(value);
  return printString(value);
}

function printString(value: string): string {
  let text = '"';
  for (const char of value) {
    const code = char.charCodeAt(0);
    if (char === '"') text += '\\"';
    else if (char === '\\') text += '\\\\';
    else if (char === '\n') text += '\\n';
    else if (char === '\r') text += '\\r';
    else if (char === '\t') text += '\\t';
    else if (code < 0x20 || code === 0x7f) text += `\\u${code.toString(16).padStart(4, '0')}`;
    else text += char;
  }
  return `${text}"`;
}
