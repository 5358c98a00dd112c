// The fast engine: turns a checked tree into one specialised JavaScript function per
// expression. Closures built from shared code (closure-compiler.ts) make every call site
// megamorphic once a process holds many expressions, which cost 4-7x against hand-written
// code; a generated function gets its own type feedback and is inlined like hand-written
// code. Safety: no source text reaches the generated code unescaped. Names and strings
// pass through JSON.stringify, numbers through String() of a finite number, and anything
// else (arrays, sets) is passed in as a constant by reference.
import type { ComparisonOperator, ExpressionNode, OperandNode } from './ast';
import type { BareKeyScope } from './context';
import type { Predicate } from './comparison-compiler';
import { printPath } from './printer';
import { resolveKey, type ResolvedKey } from './scope';
import { applyOperator, contains, equals, has, isIn, isMember, isNotIn, isNumericString, isScalarOrNull, notEquals, numericValue, order } from './type-rules';

const HELPERS = Object.freeze({ applyOperator, contains, equals, has, isIn, isMember, isNotIn, isNumericString, isScalarOrNull, notEquals, numericValue, order, hasOwn: Object.prototype.hasOwnProperty });

const MIRRORED: Partial<Record<ComparisonOperator, ComparisonOperator>> = { '==': '==', '!=': '!=', '<': '>', '<=': '>=', '>': '<', '>=': '<=', IN: 'HAS' };

/** Small constant string lists are tested with `===` chains; longer ones with a Set. */
const INLINE_MEMBERSHIP_LIMIT = 8;

export interface GeneratedPredicate {
  readonly predicate: Predicate;
  readonly constant?: boolean;
}

/** Undefined when the runtime forbids code generation (node --disallow-code-generation-from-strings). */
export function generatePredicate(tree: ExpressionNode, bareKeys: BareKeyScope): GeneratedPredicate | undefined {
  const generator = new Generator(bareKeys);
  const root = generator.expression(tree);
  if (root.constant !== undefined) return { predicate: root.constant ? () => true : () => false, constant: root.constant };
  const source = `"use strict";\n${generator.functions.join('\n')}\nreturn function evaluate(c) { return ${root.code}; };`;
  try {
    // See the safety note at the top of this file.
    const factory = new Function('H', 'K', source) as (helpers: typeof HELPERS, constants: unknown[]) => Predicate;
    return { predicate: factory(HELPERS, generator.constants) };
  } catch {
    return undefined;
  }
}

interface Code {
  readonly code: string;
  readonly constant?: boolean;
}

class Generator {
  readonly functions: string[] = [];
  readonly constants: unknown[] = [];
  private readonly keyFunctions = new Map<string, string>();

  constructor(private readonly bareKeys: BareKeyScope) {}

  expression(node: ExpressionNode): Code {
    if (node.kind === 'comparison') return this.comparison(node.operator, node.left, node.right);
    const isAnd = node.kind === 'and';
    const operands = node.operands.map((operand) => this.expression(operand));
    // AND with a constant false (OR with a constant true) is decided; neutral constants drop out.
    if (operands.some((operand) => operand.constant === !isAnd)) return constantCode(!isAnd);
    const live = operands.filter((operand) => operand.constant === undefined);
    if (live.length === 0) return constantCode(isAnd);
    return { code: `(${live.map((operand) => operand.code).join(isAnd ? ' && ' : ' || ')})` };
  }

  private comparison(operator: ComparisonOperator, left: OperandNode, right: OperandNode): Code {
    const leftConstant = isConstant(left);
    const rightConstant = isConstant(right);
    if (leftConstant && rightConstant) return constantCode(applyOperator(operator, constantValue(left), constantValue(right)));
    let fast: string | undefined;
    if (rightConstant) fast = this.againstConstant(operator, constantValue(right));
    const mirrored = MIRRORED[operator];
    if (leftConstant && mirrored) fast = this.againstConstant(mirrored, constantValue(left));
    const subject = leftConstant ? right : left;
    if (fast !== undefined) return { code: this.predicateFunction(`var v = ${this.operand(subject)};\n  return ${fast};`) };
    const between = betweenValues(operator);
    if (between !== undefined) return { code: this.predicateFunction(`var a = ${this.operand(left)}, b = ${this.operand(right)};\n  return ${between};`) };
    return { code: this.predicateFunction(`return ${genericCall(operator, this.operand(left), this.operand(right))};`) };
  }

  /** Code testing `v <operator> constant`, or undefined when the generic helper will do. */
  private againstConstant(operator: ComparisonOperator, constant: unknown): string | undefined {
    switch (operator) {
      case '==':
        if (constant === null) return 'v == null';
        if (typeof constant === 'boolean' || isPlainString(constant)) return `v === ${this.literal(constant)}`;
        if (typeof constant === 'number') {
          const number = this.literal(constant);
          return `v === ${number} || (typeof v === "string" && H.numericValue(v) === ${number})`;
        }
        return undefined;
      case '!=':
        if (constant === null) return 'v != null';
        if (isPlainString(constant)) return `typeof v === "string" ? v !== ${this.literal(constant)} : (v == null || typeof v === "number" || typeof v === "boolean")`;
        return undefined;
      case '<':
      case '<=':
      case '>':
      case '>=':
        if (typeof constant !== 'number') return undefined;
        return `typeof v === "number" ? v ${operator} ${this.literal(constant)} : (typeof v === "string" && H.numericValue(v) ${operator} ${this.literal(constant)})`;
      case 'HAS':
        return isPlainString(constant) ? `Array.isArray(v) && v.includes(${this.literal(constant)})` : undefined;
      case 'IN':
      case 'NOT IN':
        return this.membership(operator === 'IN', constant);
      default:
        return undefined;
    }
  }

  private membership(wanted: boolean, constant: unknown): string {
    if (!Array.isArray(constant)) return 'false';
    if (constant.every(isPlainString)) {
      // Only a string can equal a non-numeric string.
      const found =
        constant.length <= INLINE_MEMBERSHIP_LIMIT
          ? constant.length === 0
            ? 'false'
            : `(${constant.map((member) => `v === ${JSON.stringify(member)}`).join(' || ')})`
          : `${this.constant(new Set(constant))}.has(v)`;
      return wanted ? `typeof v === "string" && ${found}` : `typeof v === "string" ? !${found} : (v == null || typeof v === "number" || typeof v === "boolean")`;
    }
    return `H.isScalarOrNull(v) && ${wanted ? '' : '!'}H.isMember(${this.constant(constant)}, v)`;
  }

  private operand(operand: OperandNode): string {
    if (isConstant(operand)) return this.literal(constantValue(operand));
    if (operand.kind === 'key') return `${this.keyFunction(resolveKey(operand.path, this.bareKeys))}(c)`;
    if (operand.kind === 'array') return `[${operand.elements.map((element) => this.operand(element)).join(', ')}]`;
    return this.literal(operand.value);
  }

  /** One function per distinct key: a chain of guarded property reads, undefined when anything is missing. */
  private keyFunction(key: ResolvedKey): string {
    const id = `${key.source}:${printPath(key.sourcePath)}`;
    const existing = this.keyFunctions.get(id);
    if (existing) return existing;
    const name = `k${this.keyFunctions.size}`;
    this.keyFunctions.set(id, name);
    const lines: string[] = [];
    switch (key.source) {
      case 'workerField':
        lines.push(`var o = c.worker;`, `return o == null ? undefined : o[${JSON.stringify(key.sourcePath[0])}];`);
        break;
      case 'workerAttributes':
      case 'workerChannels':
        lines.push(`var o = c.worker;`, `if (o == null) return undefined;`, `o = o.${key.source === 'workerAttributes' ? 'attributes' : 'channels'};`);
        break;
      default:
        lines.push(`var o = c.${key.source};`);
    }
    if (key.source !== 'workerField') {
      for (const segment of key.sourcePath) {
        if (typeof segment === 'number') {
          lines.push(`if (!Array.isArray(o)) return undefined;`, `o = o[${segment}];`);
        } else {
          const property = JSON.stringify(segment);
          const ownCheck = segment in Object.prototype ? ` || !H.hasOwn.call(o, ${property})` : '';
          lines.push(`if (o === null || typeof o !== "object" || Array.isArray(o)${ownCheck}) return undefined;`, `o = o[${property}];`);
        }
      }
      lines.push('return o;');
    }
    this.functions.push(`function ${name}(c) {\n  ${lines.join('\n  ')}\n}`);
    return name;
  }

  private predicateFunction(body: string): string {
    const name = `p${this.functions.length}`;
    this.functions.push(`function ${name}(c) {\n  ${body}\n}`);
    return `${name}(c)`;
  }

  private literal(value: unknown): string {
    if (value === null) return 'null';
    if (typeof value === 'boolean') return String(value);
    if (typeof value === 'string') return JSON.stringify(value);
    if (typeof value === 'number' && Number.isFinite(value)) return Object.is(value, -0) ? '-0' : String(value);
    return this.constant(value);
  }

  private constant(value: unknown): string {
    this.constants.push(value);
    return `K[${this.constants.length - 1}]`;
  }
}

/** Code for `a <operator> b` with both sides read at run time: the common types inline, the rest through the helpers. */
function betweenValues(operator: ComparisonOperator): string | undefined {
  switch (operator) {
    case '==':
      return 'typeof a === "string" && typeof b === "string" ? a === b : H.equals(a, b)';
    case '<':
    case '<=':
    case '>':
    case '>=':
      return `typeof a === "number" && typeof b === "number" ? a ${operator} b : H.order(a, b) ${operator} 0`;
    case 'IN':
      // A non-numeric string can only equal the same string, so includes() decides it.
      return 'typeof a === "string" ? Array.isArray(b) && (b.includes(a) || (H.isNumericString(a) && H.isMember(b, a))) : H.isIn(a, b)';
    case 'HAS':
      return 'typeof b === "string" ? Array.isArray(a) && (a.includes(b) || (H.isNumericString(b) && H.isMember(a, b))) : H.has(a, b)';
    default:
      return undefined;
  }
}

function genericCall(operator: ComparisonOperator, left: string, right: string): string {
  switch (operator) {
    case '==':
      return `H.equals(${left}, ${right})`;
    case '!=':
      return `H.notEquals(${left}, ${right})`;
    case '<':
    case '<=':
    case '>':
    case '>=':
      return `H.order(${left}, ${right}) ${operator} 0`;
    case 'CONTAINS':
      return `H.contains(${left}, ${right})`;
    case 'HAS':
      return `H.has(${left}, ${right})`;
    case 'IN':
      return `H.isIn(${left}, ${right})`;
    case 'NOT IN':
      return `H.isNotIn(${left}, ${right})`;
  }
}

function constantCode(value: boolean): Code {
  return { code: String(value), constant: value };
}

function isPlainString(value: unknown): value is string {
  return typeof value === 'string' && !isNumericString(value);
}

function isConstant(operand: OperandNode): boolean {
  if (operand.kind === 'key') return false;
  if (operand.kind === 'array') return operand.elements.every(isConstant);
  return true;
}

function constantValue(operand: OperandNode): unknown {
  if (operand.kind === 'literal') return operand.value;
  if (operand.kind === 'array') return Object.freeze(operand.elements.map(constantValue));
  throw new Error('constantValue of a key');
}
