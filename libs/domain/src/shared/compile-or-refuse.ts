import { compileExpression, ExpressionError, type BareKeyScope, type CompiledExpression } from '@taskrouter/expression';
import { DomainError } from './domain-error';

/** Compiles an expression given as a request parameter, refusing it with the parameter and column. */
export function compileOrRefuse(source: string, parameter: string, bareKeys: BareKeyScope): CompiledExpression {
  try {
    return compileExpression(source, { bareKeys });
  } catch (error) {
    if (error instanceof ExpressionError) throw new DomainError('invalid', `${parameter} is not a valid expression: ${error.message}`, parameter);
    throw error;
  }
}
