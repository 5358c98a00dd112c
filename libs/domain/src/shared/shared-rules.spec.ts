import fc from 'fast-check';
import { expectRefusal, refused } from '../testing-support/given-when-then';
import { MAX_ATTRIBUTES_LENGTH, parseAttributes } from './attributes';
import { checkFriendlyName } from './friendly-name';
import { aggregateOf, streamIds, type AggregateKind } from './stream-ids';

describe('reading Attributes', () => {
  it('reads a JSON object', () => {
    expect(parseAttributes('{"skills":["sales"],"level":3}', 'Attributes')).toEqual({ skills: ['sales'], level: 3 });
  });

  it('accepts exactly 4096 characters, whitespace included, and refuses 4097', () => {
    const padded = (length: number) => `{"a":"${'x'.repeat(length - 8)}"}`;
    expect(padded(MAX_ATTRIBUTES_LENGTH)).toHaveLength(4096);
    expect(parseAttributes(padded(4096), 'Attributes')).toHaveProperty('a');
    expectRefusal(() => parseAttributes(padded(4097), 'Attributes'), refused('invalid', { parameter: 'Attributes', message: /4097.*4096/ }));
    expectRefusal(() => parseAttributes(`{}${' '.repeat(4095)}`, 'Attributes'), refused('invalid', { parameter: 'Attributes' }));
  });

  it.each(['[1,2]', '"text"', '42', 'null', 'true'])('refuses %s, which is JSON but not an object', (source) => {
    expectRefusal(() => parseAttributes(source, 'Attributes'), refused('invalid', { parameter: 'Attributes', message: /object/ }));
  });

  it('refuses text that is not JSON, naming the parameter it came from', () => {
    expectRefusal(() => parseAttributes('{skills: sales}', 'WorkerAttributes'), refused('invalid', { parameter: 'WorkerAttributes', message: /not valid JSON/ }));
  });
});

describe('checking a FriendlyName', () => {
  it.each([1, 64])('accepts %p characters', (length) => {
    expect(() => checkFriendlyName('n'.repeat(length), 'FriendlyName')).not.toThrow();
  });

  it.each([0, 65])('refuses %p characters', (length) => {
    expectRefusal(() => checkFriendlyName('n'.repeat(length), 'FriendlyName'), refused('invalid', { parameter: 'FriendlyName' }));
  });
});

describe('stream ids', () => {
  it('name the aggregate and its SID, and read back as such', () => {
    const kinds = Object.keys(streamIds) as AggregateKind[];
    fc.assert(fc.property(fc.constantFrom(...kinds), fc.string({ minLength: 1 }), (kind, sid) => {
      const { sid: readSid, kind: readKind } = aggregateOf(streamIds[kind](sid));
      expect(readSid).toBe(sid);
      expect(readKind.length).toBeGreaterThan(0);
    }));
  });

  it('give each aggregate kind its own prefix', () => {
    const prefixes = Object.values(streamIds).map((id) => aggregateOf(id('X')).kind);
    expect(new Set(prefixes).size).toBe(prefixes.length);
  });
});
