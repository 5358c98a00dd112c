// The portable engine: each node becomes a closure over its children, keys become
// readers bound to their scope, constant parts are folded at compile time. It needs no
// code generation; code-generator.ts is the faster default, and a property test holds
// both to the same answers.
import type { ExpressionNode, OperandNode } from './ast';
import { compileComparison, constantPredicate, type CompiledOperand, type Predicate } from './comparison-compiler';
import type { BareKeyScope } from './context';
import { compileKeyReader } from './key-reader';
import { resolveKey } from './scope';

export interface CompiledNode {
  readonly predicate: Predicate;
  /** Set when the result does not depend on the context. */
  readonly constant?: boolean;
}

export function compileToClosures(node: ExpressionNode, bareKeys: BareKeyScope): CompiledNode {
  if (node.kind === 'comparison') {
    return compileComparison(node.operator, compileOperand(node.left, bareKeys), compileOperand(node.right, bareKeys));
  }
  const isAnd = node.kind === 'and';
  const compiled = node.operands.map((operand) => compileToClosures(operand, bareKeys));
  // AND with a constant false (OR with a constant true) is decided; constant neutral operands drop out.
  if (compiled.some((operand) => operand.constant === !isAnd)) return { predicate: constantPredicate(!isAnd), constant: !isAnd };
  const live = compiled.filter((operand) => operand.constant === undefined).map((operand) => operand.predicate);
  if (live.length === 0) return { predicate: constantPredicate(isAnd), constant: isAnd };
  return { predicate: isAnd ? allOf(live) : anyOf(live) };
}

function allOf(predicates: Predicate[]): Predicate {
  const [a, b, c] = predicates;
  switch (predicates.length) {
    case 1:
      return a;
    case 2:
      return (context) => a(context) && b(context);
    case 3:
      return (context) => a(context) && b(context) && c(context);
    default:
      return (context) => {
        for (let i = 0; i < predicates.length; i++) if (!predicates[i](context)) return false;
        return true;
      };
  }
}

function anyOf(predicates: Predicate[]): Predicate {
  const [a, b, c] = predicates;
  switch (predicates.length) {
    case 1:
      return a;
    case 2:
      return (context) => a(context) || b(context);
    case 3:
      return (context) => a(context) || b(context) || c(context);
    default:
      return (context) => {
        for (let i = 0; i < predicates.length; i++) if (predicates[i](context)) return true;
        return false;
      };
  }
}

function compileOperand(operand: OperandNode, bareKeys: BareKeyScope): CompiledOperand {
  switch (operand.kind) {
    case 'literal':
      return { constant: true, value: operand.value };
    case 'key':
      return { constant: false, read: compileKeyReader(resolveKey(operand.path, bareKeys)) };
    case 'array': {
      const elements = operand.elements.map((element) => compileOperand(element, bareKeys));
      if (elements.every((element) => element.constant)) {
        return { constant: true, value: Object.freeze(elements.map((element) => (element.constant ? element.value : undefined))) };
      }
      const readers = elements.map((element) => (element.constant ? () => element.value : element.read));
      return { constant: false, read: (context) => readers.map((read) => read(context)) };
    }
  }
}
