// Recursive descent over the token list. Grammar (see docs/expressions.md):
//   expression  = or ;
//   or          = and { OR and } ;
//   and         = primary { AND primary } ;          (AND binds tighter than OR)
//   primary     = "(" or ")" | comparison ;
//   comparison  = operand operator operand ;
import type { ArrayNode, ComparisonOperator, ExpressionNode, OperandNode } from './ast';
import { ExpressionError } from './expression-error';
import { describeToken, tokenize, type Token } from './lexer';

/** Deeper nesting than this is refused, so hostile input cannot exhaust the stack. */
export const MAX_NESTING_DEPTH = 64;

const OPERATOR_LIST = '==, !=, <, <=, >, >=, CONTAINS, HAS, IN or NOT IN';

const SYMBOL_TO_OPERATOR: Readonly<Record<string, ComparisonOperator>> = {
  '==': '==',
  '=': '==',
  '!=': '!=',
  '<': '<',
  '<=': '<=',
  '>': '>',
  '>=': '>=',
  '>-': 'HAS',
  '<-': 'IN',
};

/** Parses a whole expression; throws ExpressionError naming the position and what was expected. */
export function parseExpression(source: string): ExpressionNode {
  if (typeof source !== 'string') throw new ExpressionError('expected an expression (a string)', '', 0, { expected: 'an expression' });
  return new Parser(source).parseWhole();
}

class Parser {
  private readonly tokens: Token[];
  private index = 0;
  private depth = 0;

  constructor(private readonly source: string) {
    this.tokens = tokenize(source);
  }

  parseWhole(): ExpressionNode {
    if (this.peek().kind === 'end') this.fail('expected an expression', 'an expression');
    const node = this.parseOr();
    const next = this.peek();
    if (next.kind !== 'end') {
      const hint = next.kind === ')' ? "expected AND, OR or the end of the expression (this ')' has no matching '(')" : 'expected AND, OR or the end of the expression';
      this.fail(hint, 'AND, OR or the end of the expression');
    }
    return node;
  }

  private parseOr(): ExpressionNode {
    const operands = [this.parseAnd()];
    while (this.isKeyword('OR')) {
      this.next();
      operands.push(this.parseAnd('after OR'));
    }
    return operands.length === 1 ? operands[0] : { kind: 'or', operands };
  }

  private parseAnd(context?: string): ExpressionNode {
    const operands = [this.parsePrimary(context)];
    while (this.isKeyword('AND')) {
      this.next();
      operands.push(this.parsePrimary('after AND'));
    }
    return operands.length === 1 ? operands[0] : { kind: 'and', operands };
  }

  private parsePrimary(context?: string): ExpressionNode {
    const token = this.peek();
    if (token.kind === '(') {
      this.next();
      this.enter(token);
      const inner = this.parseOr();
      if (this.peek().kind !== ')') this.fail("expected ')'", "')'", `to close the '(' at column ${token.offset + 1}`);
      this.next();
      this.depth--;
      return inner;
    }
    if (token.kind === 'keyword' && token.keyword === 'NOT') {
      this.fail('unary NOT is not supported (use != or NOT IN)', 'a comparison');
    }
    if (token.kind === 'end' || token.kind === ')' || (token.kind === 'keyword' && (token.keyword === 'AND' || token.keyword === 'OR'))) {
      this.fail(context ? `expected a comparison ${context}` : 'expected a comparison', 'a comparison');
    }
    const left = this.parseOperand('expected a value at the start of a comparison');
    const operator = this.parseOperator(left);
    const right = this.parseOperand(`expected a value after ${operator}`);
    return { kind: 'comparison', operator, left, right };
  }

  private parseOperator(left: OperandNode): ComparisonOperator {
    const token = this.peek();
    if (token.kind === 'operator') {
      this.next();
      return SYMBOL_TO_OPERATOR[token.operator];
    }
    if (token.kind === 'keyword') {
      switch (token.keyword) {
        case 'CONTAINS':
        case 'HAS':
        case 'IN':
          this.next();
          return token.keyword;
        case 'NOT':
          this.next();
          if (!this.isKeyword('IN')) this.fail('expected IN after NOT (NOT is only supported as NOT IN)', 'IN');
          this.next();
          return 'NOT IN';
        default:
          break;
      }
    }
    const what = left.kind === 'key' ? `after the key ${this.tokens[this.index - 1].text}` : `after ${this.tokens[this.index - 1].text}`;
    this.fail(`expected an operator (${OPERATOR_LIST}) ${what}`, 'an operator');
  }

  private parseOperand(expectation: string): OperandNode {
    const token = this.peek();
    switch (token.kind) {
      case 'string':
      case 'number':
        this.next();
        return { kind: 'literal', value: token.value };
      case 'key':
        this.next();
        return { kind: 'key', path: token.path };
      case 'keyword':
        if (token.keyword === 'TRUE' || token.keyword === 'FALSE' || token.keyword === 'NULL') {
          this.next();
          return { kind: 'literal', value: token.keyword === 'NULL' ? null : token.keyword === 'TRUE' };
        }
        break;
      case '[':
        return this.parseArray(token);
      default:
        break;
    }
    this.fail(expectation, 'a value');
  }

  private parseArray(open: Token): ArrayNode {
    this.next();
    this.enter(open);
    const elements: OperandNode[] = [];
    if (this.peek().kind !== ']') {
      elements.push(this.parseOperand("expected a value or ']' after '['"));
      while (this.peek().kind === ',') {
        this.next();
        elements.push(this.parseOperand("expected a value after ','"));
      }
      if (this.peek().kind !== ']') this.fail("expected ',' or ']'", "',' or ']'", `in the array that starts at column ${open.offset + 1}`);
    }
    this.next();
    this.depth--;
    return { kind: 'array', elements };
  }

  private enter(token: Token): void {
    if (++this.depth > MAX_NESTING_DEPTH) {
      throw new ExpressionError(`expressions may nest at most ${MAX_NESTING_DEPTH} levels deep`, this.source, token.offset);
    }
  }

  private isKeyword(keyword: string): boolean {
    const token = this.peek();
    return token.kind === 'keyword' && token.keyword === keyword;
  }

  private peek(): Token {
    return this.tokens[this.index];
  }

  private next(): Token {
    return this.tokens[this.index++];
  }

  private fail(reason: string, expected: string, hint?: string): never {
    const token = this.peek();
    throw new ExpressionError(reason, this.source, token.offset, { expected, found: describeToken(token), hint });
  }
}
