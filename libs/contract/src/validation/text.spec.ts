import fc from 'fast-check';
import { textProblem } from './text';

/** The reference: encodeURIComponent throws URIError exactly on lone surrogates. */
function wellFormed(value: string): boolean {
  try {
    encodeURIComponent(value);
    return true;
  } catch {
    return false;
  }
}

describe('text we can store', () => {
  it('is any well-formed string without NUL', () => {
    fc.assert(fc.property(fc.string({ unit: 'binary' }), (value) => {
      expect(textProblem(value) === undefined).toBe(wellFormed(value) && !value.includes('\u0000'));
    }), { numRuns: 2_000 });
  });

  it.each([
    ['\u0000', /NUL/], ['a\ud800', /lone UTF-16 surrogate/], ['\udc00b', /lone UTF-16 surrogate/], ['\udc00\ud800', /lone UTF-16 surrogate/],
  ])('refuses %j', (value, message) => {
    expect(textProblem(value)).toMatch(message);
  });

  it('accepts surrogate pairs, control characters and the replacement character', () => {
    expect(['😀', '\ud83d\ude00', '\u0001\t\n', '\ufffd', ''].map(textProblem)).toEqual([undefined, undefined, undefined, undefined, undefined]);
  });
});
