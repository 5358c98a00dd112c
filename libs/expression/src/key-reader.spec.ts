import { compileKeyReader } from './key-reader';
import { resolveKey } from './scope';

const read = (path: (string | number)[], task: unknown) => compileKeyReader(resolveKey(path, 'task'))({ task: task as Record<string, unknown> });

describe('key reader', () => {
  const task = { string_const: 'foo', object: { array: ['a', 'b', 'c'], attr: 'bar', deep: { deeper: { deepest: 1 } } } };

  it('resolves the documented example keys', () => {
    expect(read(['string_const'], task)).toBe('foo');
    expect(read(['object', 'array'], task)).toEqual(['a', 'b', 'c']);
    expect(read(['object', 'array', 2], task)).toBe('c');
    expect(read(['object', 'attr'], task)).toBe('bar');
    expect(read(['object', 'deep', 'deeper', 'deepest'], task)).toBe(1);
  });

  it('gives undefined for anything missing or of the wrong shape', () => {
    expect(read(['nope'], task)).toBeUndefined();
    expect(read(['object', 'array', 3], task)).toBeUndefined();
    expect(read(['object', 'array', 'length'], task)).toBeUndefined();
    expect(read(['string_const', 0], task)).toBeUndefined();
    expect(read(['object', 'attr', 'length'], task)).toBeUndefined();
    expect(read(['object', 'deep', 'x', 'y', 'z'], task)).toBeUndefined();
    expect(read(['a'], undefined)).toBeUndefined();
    expect(read(['a'], ['x'])).toBeUndefined();
  });

  it('does not see properties every object inherits', () => {
    expect(read(['constructor'], {})).toBeUndefined();
    expect(read(['toString'], {})).toBeUndefined();
    expect(read(['__proto__'], {})).toBeUndefined();
    expect(read(['a', 'hasOwnProperty'], { a: {} })).toBeUndefined();
    expect(read(['constructor'], { constructor: 'own' })).toBe('own');
    expect(read(['__proto__'], JSON.parse('{"__proto__": "own"}'))).toBe('own');
  });
});
