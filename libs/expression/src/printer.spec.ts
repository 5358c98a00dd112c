import { parseExpression } from './parser';
import { printExpression, printPath } from './printer';

const canonical = (source: string) => printExpression(parseExpression(source));

describe('printer', () => {
  it.each([
    ["type=='ticket'", 'type == "ticket"'],
    ['a = 1 and b in [1, 2] or c >- "x"', '(a == 1 AND b IN [1, 2]) OR c HAS "x"'],
    ['a <- [] AND (b != null OR c not in [true, false])', 'a IN [] AND (b != null OR c NOT IN [true, false])'],
    ['(a == 1 OR b == 1) OR c == 1', '(a == 1 OR b == 1) OR c == 1'],
    ['x CONTAINS \'it"s\'', 'x CONTAINS "it\\"s"'],
    ['x == 0800', 'x == 800'],
    ['x == -0', 'x == -0'],
    ['x == 1e21', 'x == 1e+21'],
    ['object.array[2] == "c"', 'object.array[2] == "c"'],
  ])('prints %j as %j', (source, printed) => {
    expect(canonical(source)).toBe(printed);
    expect(parseExpression(printed)).toEqual(parseExpression(source));
  });

  it('escapes backslashes and control characters', () => {
    const printed = printExpression({ kind: 'comparison', operator: '==', left: { kind: 'key', path: ['a'] }, right: { kind: 'literal', value: 'back\\slash\n\t\r\u0001' } });
    expect(printed).toBe('a == "back\\\\slash\\n\\t\\r\\u0001"');
  });

  it('prints paths with dots and indexes', () => {
    expect(printPath(['a', 0, 'b', 12])).toBe('a[0].b[12]');
  });
});
