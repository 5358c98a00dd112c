// Turns source text into tokens. Keys are lexed whole (`object.array[2]` is one token)
// because a path has no inner spaces; the parser then only sees values and operators.
import type { PathSegment } from './ast';
import { ExpressionError } from './expression-error';

export type Keyword = 'AND' | 'OR' | 'NOT' | 'IN' | 'HAS' | 'CONTAINS' | 'TRUE' | 'FALSE' | 'NULL';

/** Keywords are recognised in any case (`in`, `In`, `IN`); they cannot start a key. */
export const KEYWORDS: ReadonlySet<string> = new Set<Keyword>(['AND', 'OR', 'NOT', 'IN', 'HAS', 'CONTAINS', 'TRUE', 'FALSE', 'NULL']);

export type SymbolOperator = '==' | '=' | '!=' | '<' | '<=' | '>' | '>=' | '>-' | '<-';

export type Token =
  | { readonly kind: 'string'; readonly value: string; readonly offset: number; readonly text: string }
  | { readonly kind: 'number'; readonly value: number; readonly offset: number; readonly text: string }
  | { readonly kind: 'key'; readonly path: readonly PathSegment[]; readonly offset: number; readonly text: string }
  | { readonly kind: 'keyword'; readonly keyword: Keyword; readonly offset: number; readonly text: string }
  | { readonly kind: 'operator'; readonly operator: SymbolOperator; readonly offset: number; readonly text: string }
  | { readonly kind: '(' | ')' | '[' | ']' | ','; readonly offset: number; readonly text: string }
  | { readonly kind: 'end'; readonly offset: number; readonly text: '' };

// Identifiers: letters (any script), digits, `_` and `$`, not starting with a digit.
// This is the TaskChannel unique-name rule, the only identifier rule TaskRouter documents;
// hyphens are documented as unsupported.
const IDENTIFIER = /[\p{L}_$][\p{L}\p{Mn}\p{Mc}\p{N}_$]*/uy;
const IDENTIFIER_START = /[\p{L}_$]/u;
const NUMBER = /-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
const DIGITS = /\d+/y;

// Longest first, so `<=` wins over `<` and `>-` over `>`.
const SYMBOL_OPERATORS: readonly SymbolOperator[] = ['==', '!=', '<=', '>=', '>-', '<-', '=', '<', '>'];

const UNSUPPORTED_SYMBOLS: ReadonlyArray<readonly [string, string]> = [
  ['&&', "'&&' is not supported, use AND"],
  ['||', "'||' is not supported, use OR"],
  ['!', "'!' is not supported, use != or NOT IN"],
  ['&', "'&' is not supported, use AND"],
  ['|', "'|' is not supported, use OR"],
];

const SIMPLE_ESCAPES: Readonly<Record<string, string>> = { '"': '"', "'": "'", '\\': '\\', '/': '/', n: '\n', r: '\r', t: '\t', b: '\b', f: '\f' };

export function describeToken(token: Token): string {
  if (token.kind === 'end') return 'end of expression';
  return `'${token.text}'`;
}

export function tokenize(source: string): Token[] {
  const tokens: Token[] = [];
  let offset = 0;
  while (true) {
    offset = skipWhitespace(source, offset);
    if (offset >= source.length) {
      tokens.push({ kind: 'end', offset: source.length, text: '' });
      return tokens;
    }
    const token = readToken(source, offset);
    tokens.push(token);
    offset = token.offset + token.text.length;
  }
}

function skipWhitespace(source: string, offset: number): number {
  while (offset < source.length && /\s/.test(source[offset])) offset++;
  return offset;
}

function readToken(source: string, offset: number): Token {
  const char = source[offset];
  if (char === '"' || char === "'") return readString(source, offset);
  if (char === '(' || char === ')' || char === '[' || char === ']' || char === ',') return { kind: char, offset, text: char };
  if (isDigit(char) || (char === '-' && isDigit(source[offset + 1]))) return readNumber(source, offset);
  if (IDENTIFIER_START.test(char)) return readWord(source, offset);
  for (const operator of SYMBOL_OPERATORS) {
    if (source.startsWith(operator, offset)) return { kind: 'operator', operator, offset, text: operator };
  }
  for (const [symbol, reason] of UNSUPPORTED_SYMBOLS) {
    if (source.startsWith(symbol, offset)) throw new ExpressionError(reason, source, offset);
  }
  if (char === '-') {
    throw new ExpressionError("unexpected '-' (hyphens are not supported in TaskRouter keys; a '-' may only start a negative number)", source, offset);
  }
  throw new ExpressionError(`unexpected character '${String.fromCodePoint(source.codePointAt(offset) ?? 0)}'`, source, offset);
}

function isDigit(char: string | undefined): boolean {
  return char !== undefined && char >= '0' && char <= '9';
}

function readNumber(source: string, offset: number): Token {
  NUMBER.lastIndex = offset;
  const text = NUMBER.exec(source)?.[0] ?? '';
  const end = offset + text.length;
  if (source[end] === '.') throw new ExpressionError("expected a digit after '.' in a number", source, end + 1);
  if (end < source.length && IDENTIFIER_START.test(source[end])) {
    throw new ExpressionError(`expected an operator after the number ${text}`, source, end, { expected: 'an operator' });
  }
  // Leading zeros are decimal: the time-of-day docs write `taskrouter.currentTime > 0800`.
  const value = Number(text);
  if (!Number.isFinite(value)) throw new ExpressionError(`the number ${text} is too large`, source, offset);
  return { kind: 'number', value, offset, text };
}

function readWord(source: string, offset: number): Token {
  const first = readIdentifier(source, offset) ?? '';
  const upper = first.toUpperCase();
  if (KEYWORDS.has(upper)) return { kind: 'keyword', keyword: upper as Keyword, offset, text: first };

  const path: PathSegment[] = [first];
  let end = offset + first.length;
  while (end < source.length) {
    if (source[end] === '.') {
      const name = readIdentifier(source, end + 1);
      if (name === undefined) throw new ExpressionError("expected a key name after '.'", source, end + 1, { expected: 'a key name' });
      path.push(name);
      end += 1 + name.length;
    } else if (source[end] === '[') {
      DIGITS.lastIndex = end + 1;
      const digits = DIGITS.exec(source)?.[0];
      if (digits === undefined) throw new ExpressionError("expected an array index (digits) after '['", source, end + 1, { expected: 'an array index' });
      const closing = end + 1 + digits.length;
      if (source[closing] !== ']') throw new ExpressionError("expected ']' after the array index", source, closing, { expected: "']'" });
      const index = Number(digits);
      if (!Number.isSafeInteger(index)) throw new ExpressionError(`the array index ${digits} is too large`, source, end + 1);
      path.push(index);
      end = closing + 1;
    } else if (source[end] === '-' && !isDigit(source[end + 1])) {
      throw new ExpressionError("unexpected '-' in a key (hyphens are not supported in TaskRouter keys)", source, end);
    } else {
      break;
    }
  }
  return { kind: 'key', path, offset, text: source.slice(offset, end) };
}

function readIdentifier(source: string, offset: number): string | undefined {
  IDENTIFIER.lastIndex = offset;
  return IDENTIFIER.exec(source)?.[0];
}

function readString(source: string, offset: number): Token {
  const quote = source[offset];
  let value = '';
  let i = offset + 1;
  while (i < source.length) {
    const char = source[i];
    if (char === quote) return { kind: 'string', value, offset, text: source.slice(offset, i + 1) };
    if (char === '\\') {
      const [decoded, length] = readEscape(source, i);
      value += decoded;
      i += length;
    } else {
      value += char;
      i++;
    }
  }
  throw new ExpressionError(`expected a closing ${quote}`, source, source.length, {
    expected: `a closing ${quote}`,
    found: 'end of expression',
    hint: `for the string that starts at column ${offset + 1}`,
  });
}

/** Backslash escapes as in JSON, plus `\'`. Returns the decoded text and the escape's length. */
function readEscape(source: string, backslash: number): [string, number] {
  const next = source[backslash + 1];
  if (next !== undefined && next in SIMPLE_ESCAPES) return [SIMPLE_ESCAPES[next], 2];
  if (next === 'u') {
    const hex = source.slice(backslash + 2, backslash + 6);
    if (/^[0-9a-fA-F]{4}$/.test(hex)) return [String.fromCharCode(parseInt(hex, 16)), 6];
    throw new ExpressionError('expected four hexadecimal digits after \\u', source, backslash + 2, { expected: 'four hexadecimal digits' });
  }
  throw new ExpressionError(
    `unknown escape '\\${next ?? ''}' in a string (use \\\\ for a backslash; known escapes: \\" \\' \\\\ \\/ \\n \\r \\t \\b \\f \\uXXXX)`,
    source,
    backslash,
  );
}
