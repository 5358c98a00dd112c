// Which task and worker attributes (and system variables) an expression depends on.
// The queue matcher indexes queue membership by the worker attributes a target_workers
// expression reads; the console shows them.
import type { ExpressionNode, OperandNode } from './ast';
import type { BareKeyScope, ExpressionRead } from './context';
import { printPath } from './printer';
import { resolveKey } from './scope';

/** Every key the expression reads, in order of first appearance, without duplicates. */
export function collectReads(node: ExpressionNode, bareKeys: BareKeyScope): ExpressionRead[] {
  const reads: ExpressionRead[] = [];
  const seen = new Set<string>();
  const visitOperand = (operand: OperandNode): void => {
    if (operand.kind === 'array') operand.elements.forEach(visitOperand);
    if (operand.kind !== 'key') return;
    const resolved = resolveKey(operand.path, bareKeys);
    const read: ExpressionRead = { scope: resolved.scope, path: printPath(resolved.scopePath) };
    const id = `${read.scope}\u0000${read.path}`;
    if (!seen.has(id)) {
      seen.add(id);
      reads.push(read);
    }
  };
  const visit = (current: ExpressionNode): void => {
    if (current.kind === 'comparison') {
      visitOperand(current.left);
      visitOperand(current.right);
    } else {
      current.operands.forEach(visit);
    }
  };
  visit(node);
  return reads;
}
