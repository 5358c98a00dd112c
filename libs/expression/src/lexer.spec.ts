import { ExpressionError } from './expression-error';
import { tokenize } from './lexer';

const kinds = (source: string) => tokenize(source).map((token) => token.kind);

describe('lexer', () => {
  it('reads a whole dotted and indexed key as one token', () => {
    const [key] = tokenize('object.array[2].name');
    expect(key).toMatchObject({ kind: 'key', path: ['object', 'array', 2, 'name'], offset: 0 });
  });

  it('recognises keywords in any case and upper-cases them', () => {
    expect(tokenize('in In IN and Or not HAS contains TRUE False NULL').map((token) => (token.kind === 'keyword' ? token.keyword : token.kind))).toEqual([
      'IN', 'IN', 'IN', 'AND', 'OR', 'NOT', 'HAS', 'CONTAINS', 'TRUE', 'FALSE', 'NULL', 'end',
    ]);
  });

  it('reads the longest symbol operator first', () => {
    expect(tokenize('== = != <= >= >- <- < >').map((token) => (token.kind === 'operator' ? token.operator : token.kind))).toEqual([
      '==', '=', '!=', '<=', '>=', '>-', '<-', '<', '>', 'end',
    ]);
  });

  it('reads numbers: integers, decimals, leading zeros as decimal, a sign, exponents', () => {
    const values = tokenize('1 1.00 3.141529 0800 -5 -0.5 1e3 2.5E-2').flatMap((token) => (token.kind === 'number' ? [token.value] : []));
    expect(values).toEqual([1, 1, 3.141529, 800, -5, -0.5, 1000, 0.025]);
  });

  it('reads strings in either quote, each quote allowed inside the other', () => {
    const values = tokenize(`"it's" 'say "hi"' ""`).flatMap((token) => (token.kind === 'string' ? [token.value] : []));
    expect(values).toEqual(["it's", 'say "hi"', '']);
  });

  it('decodes JSON-style escapes and \\\'', () => {
    const [token] = tokenize(String.raw`"a\"b\\c\'d\n\t\u00e9\/"`);
    expect(token).toMatchObject({ kind: 'string', value: 'a"b\\c\'d\n\té/' });
  });

  it('accepts letters of any script, digits, _ and $ in keys', () => {
    expect(tokenize('données.$x_1')[0]).toMatchObject({ kind: 'key', path: ['données', '$x_1'] });
  });

  it('lexes punctuation', () => {
    expect(kinds('([a, b])')).toEqual(['(', '[', 'key', ',', 'key', ']', ')', 'end']);
  });

  it.each([
    ['customer-value == 1', 9, 'hyphens'],
    ['a == "unterminated', 19, "expected a closing \""],
    [String.raw`a == "bad \q escape"`, 11, 'unknown escape'],
    [String.raw`a == "\u12"`, 9, 'four hexadecimal digits'],
    ['a.', 3, "key name after '.'"],
    ['a[x]', 3, 'array index'],
    ['a[1 == 2', 4, "expected ']'"],
    ['1. == 1', 3, "digit after '.'"],
    ['5abc == 1', 2, 'operator after the number'],
    ['a == 1e999', 6, 'too large'],
    ['a && b', 3, 'use AND'],
    ['a || b', 3, 'use OR'],
    ['!a', 1, "'!' is not supported"],
    ['a == #', 6, "unexpected character '#'"],
    ['- 5', 1, "unexpected '-'"],
  ])('refuses %j at column %i (%s)', (source, column, words) => {
    let error: unknown;
    try {
      tokenize(source);
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(ExpressionError);
    expect((error as ExpressionError).column).toBe(column);
    expect((error as ExpressionError).message).toContain(words);
  });
});
