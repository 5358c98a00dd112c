import fc from 'fast-check';
import { TaskRouterError } from '../errors/taskrouter-error';
import { decodeForm, MAX_PARAMETERS } from './form-decoding';

const bytes = (text: string) => new TextEncoder().encode(text);
const raw = (...values: number[]) => Uint8Array.from(values);

function refusal(read: () => unknown): TaskRouterError {
  try {
    read();
  } catch (error) {
    if (error instanceof TaskRouterError) return error;
    throw error;
  }
  throw new Error('expected the form to be refused');
}

/** Text we store: any Unicode scalar values except NUL. */
const text = fc.string({ unit: 'grapheme' }).filter((value) => !value.includes('\u0000'));

describe('decoding a form strictly', () => {
  it('reads what URLSearchParams writes, for any names and values of Unicode text', () => {
    fc.assert(fc.property(fc.array(fc.tuple(text.filter((name) => name !== '' && name.length <= 256), text), { maxLength: 20 }), (pairs) => {
      const decoded = decodeForm(bytes(new URLSearchParams(pairs).toString()), 'body');
      const expected = new Map<string, string | string[]>();
      for (const [name, value] of pairs) {
        const previous = expected.get(name);
        expected.set(name, previous === undefined ? value : Array.isArray(previous) ? [...previous, value] : [previous, value]);
      }
      expect(new Map(Object.entries(decoded))).toEqual(expected);
    }));
  });

  it('reads + as a space, keeps a lone %, and skips empty pairs', () => {
    expect({ ...decodeForm(bytes('A=x+y&&B=100%&C&D=%4'), 'query') }).toEqual({ A: 'x y', B: '100%', C: '', D: '%4' });
  });

  it('gives a record without a prototype, so __proto__ and constructor are plain names', () => {
    const decoded = decodeForm(bytes('__proto__=1&constructor=2'), 'body');
    expect(Object.getPrototypeOf(decoded)).toBeNull();
    expect([decoded['__proto__'], decoded['constructor']]).toEqual(['1', '2']);
  });

  it.each([
    ['a NUL in a value', bytes('FriendlyName=a%00b'), /Parameter "FriendlyName" is not valid text: it contains a NUL/],
    ['a NUL in a name', bytes('Friendly%00Name=x'), /A parameter name in the body is not valid text/],
    ['a byte that is not UTF-8 (%FF)', bytes('FriendlyName=%FF'), /Parameter "FriendlyName" is not valid UTF-8/],
    ['a surrogate spelt in UTF-8 (CESU, %ED%A0%80)', bytes('Attributes=%ED%A0%80'), /Parameter "Attributes" is not valid UTF-8/],
    ['an overlong encoding (%C0%AF)', bytes('FriendlyName=%C0%AF'), /not valid UTF-8/],
    ['a raw byte that is not UTF-8', raw(0x41, 0x3d, 0xc3), /Parameter "A" is not valid UTF-8/],
    ['a name longer than 256 characters', bytes(`${'N'.repeat(257)}=1`), /is 257 characters long/],
  ])('refuses %s with 400 naming it', (_, form, message) => {
    const error = refusal(() => decodeForm(form, 'body'));
    expect(error.toBody()).toMatchObject({ status: 400, code: 20001 });
    expect(error.message).toMatch(message);
  });

  it(`refuses more than ${MAX_PARAMETERS} parameters with 413, and takes exactly ${MAX_PARAMETERS}`, () => {
    const form = (count: number) => bytes(Array.from({ length: count }, (_, i) => `P${i}=1`).join('&'));
    expect(Object.keys(decodeForm(form(MAX_PARAMETERS), 'body'))).toHaveLength(MAX_PARAMETERS);
    expect(refusal(() => decodeForm(form(MAX_PARAMETERS + 1), 'query')).toBody()).toMatchObject({ status: 413, code: 20413 });
  });

  it('refuses any value holding a NUL, wherever it is', () => {
    fc.assert(fc.property(text, text, (before, after) => {
      const form = bytes(new URLSearchParams([['Reason', `${before}\u0000${after}`]]).toString());
      expect(refusal(() => decodeForm(form, 'body')).status).toBe(400);
    }));
  });
});
