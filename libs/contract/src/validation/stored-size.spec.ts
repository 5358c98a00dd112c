import fc from 'fast-check';
import { TaskRouterError } from '../errors/taskrouter-error';
import { checkStoredSize, MAX_STORED_PARAMETER_BYTES, storedLength } from './stored-size';

describe('the size of parameters once stored in an event', () => {
  it('is exactly the UTF-8 length of the value as JSON, for any well-formed string', () => {
    fc.assert(fc.property(fc.string({ unit: fc.constantFrom('"', '\\', '\n', '\u0001', '\u001f', 'a', 'é', '€', '😀', '\u2028') }), (value) => {
      expect(storedLength(value)).toBe(Buffer.byteLength(JSON.stringify(value)));
    }));
    fc.assert(fc.property(fc.string({ unit: 'grapheme' }), (value) => {
      expect(storedLength(value)).toBe(Buffer.byteLength(JSON.stringify(value)));
    }));
  });

  it('takes parameters up to the bound and refuses a request past it, naming its largest value', () => {
    const filler = (bytes: number) => 'x'.repeat(bytes - storedLength('Configuration') - 2);
    expect(() => checkStoredSize({ Configuration: filler(MAX_STORED_PARAMETER_BYTES) })).not.toThrow();
    let refusal: unknown;
    try {
      checkStoredSize({ FriendlyName: 'flow', Configuration: filler(MAX_STORED_PARAMETER_BYTES) });
    } catch (error) {
      refusal = error;
    }
    expect(refusal).toBeInstanceOf(TaskRouterError);
    expect((refusal as TaskRouterError).toBody()).toMatchObject({ status: 400, code: 20001 });
    expect((refusal as TaskRouterError).message).toMatch(/^Configuration takes \d+ bytes once stored/);
  });

  it('counts quotes at twice their length and control characters at six times: a documented configuration always fits', () => {
    expect(storedLength('"'.repeat(600_000))).toBe(1_200_002);
    expect(storedLength('\u0001'.repeat(1_000))).toBe(6_002);
    expect(() => checkStoredSize({ Configuration: '"'.repeat(1_038_576) })).not.toThrow();
    expect(() => checkStoredSize({ Configuration: '"'.repeat(1_038_576), Reason: '\u0001'.repeat(400_000) })).toThrow(/^Reason takes 2400010 bytes/);
  });
});
