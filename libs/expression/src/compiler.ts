// Parse once, compile once: the public entry points. The tree is turned into a predicate
// by the generated-code engine (fast) or, where code generation is unavailable or not
// wanted, by the closure engine; both fold constant parts and agree on every answer.
import type { ExpressionNode } from './ast';
import { compileToClosures, type CompiledNode } from './closure-compiler';
import { generatePredicate } from './code-generator';
import { constantPredicate } from './comparison-compiler';
import type { BareKeyScope, EvaluationContext, ExpressionRead } from './context';
import { parseExpression } from './parser';
import { printExpression } from './printer';
import { collectReads } from './reads';

export interface CompileOptions {
  /** Which document keys without a `task.`/`worker.` prefix name (see docs/expressions.md, "Scopes"). */
  readonly bareKeys: BareKeyScope;
  /** 'generated' (default) falls back to 'closures' when the runtime forbids code generation. */
  readonly engine?: 'generated' | 'closures';
}

export interface CompiledExpression {
  readonly source: string;
  /** True or false; never throws, whatever the context holds. */
  evaluate(context: EvaluationContext): boolean;
  readonly reads: ReadonlyArray<ExpressionRead>;
  readonly tree: ExpressionNode | undefined;
  /** The result when it does not depend on the context (`1==1` is true); undefined otherwise. */
  readonly constant: boolean | undefined;
}

const EMPTY_CONTEXT: EvaluationContext = Object.freeze({});

/** Parses and compiles; throws ExpressionError for invalid (or empty) source. */
export function compileExpression(source: string, options: CompileOptions): CompiledExpression {
  return compileTree(parseExpression(source), options, source);
}

export function compileTree(tree: ExpressionNode, options: CompileOptions, source: string = printExpression(tree)): CompiledExpression {
  const compiled: CompiledNode =
    (options.engine !== 'closures' ? generatePredicate(tree, options.bareKeys) : undefined) ?? compileToClosures(tree, options.bareKeys);
  const predicate = compiled.predicate;
  return Object.freeze({
    source,
    tree,
    reads: Object.freeze(collectReads(tree, options.bareKeys)),
    constant: compiled.constant,
    evaluate(context: EvaluationContext): boolean {
      try {
        return predicate(context ?? EMPTY_CONTEXT) === true;
      } catch {
        // Unreachable with JSON documents; a hostile object (a throwing getter) only fails the match.
        return false;
      }
    },
  });
}

/**
 * For optional fields: null, undefined or a blank string mean "no expression" and
 * evaluate to `whenAbsent` (true for a target's `expression`, false for `skip_if`, false
 * for a queue whose TargetWorkers was set empty). Anything else must be a valid expression.
 */
export function compileOptionalExpression(
  source: string | null | undefined,
  options: CompileOptions & { readonly whenAbsent: boolean },
): CompiledExpression {
  if (source === null || source === undefined || source.trim() === '') {
    const predicate = constantPredicate(options.whenAbsent);
    return Object.freeze({
      source: source ?? '',
      tree: undefined,
      reads: Object.freeze([]),
      constant: options.whenAbsent,
      evaluate: (context: EvaluationContext) => predicate(context),
    });
  }
  return compileExpression(source, options);
}

