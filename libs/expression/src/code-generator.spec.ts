import { generatePredicate } from './code-generator';
import { parseExpression } from './parser';

const generate = (source: string) => {
  const generated = generatePredicate(parseExpression(source), 'task');
  if (!generated) throw new Error('code generation unavailable');
  return generated;
};

describe('code generator', () => {
  it('keeps hostile string literals as data', () => {
    const source = String.raw`a == "\"); throw new Error(\"pwned\"); (\"" OR b == '\u2028\\'`;
    const { predicate } = generate(source);
    expect(predicate({ task: { a: '"); throw new Error("pwned"); ("' } })).toBe(true);
    expect(predicate({ task: { b: '\u2028\\' } })).toBe(true);
    expect(predicate({ task: { a: 'x' } })).toBe(false);
  });

  it('tests long constant lists with a Set and short ones inline, with the same answers', () => {
    const many = generate(`x IN ["a","b","c","d","e","f","g","h","i","j"]`).predicate;
    const few = generate(`x NOT IN ["a","b"]`).predicate;
    expect([many({ task: { x: 'j' } }), many({ task: { x: 'k' } }), many({ task: { x: 1 } })]).toEqual([true, false, false]);
    expect([few({ task: { x: 'a' } }), few({ task: { x: 'z' } }), few({ task: {} }), few({ task: { x: ['z'] } })]).toEqual([false, true, true, false]);
  });

  it('reports constant expressions instead of generating code', () => {
    expect(generate('1 == 1 OR a == 1').constant).toBe(true);
    expect(generate('a == 1').constant).toBeUndefined();
  });
});
