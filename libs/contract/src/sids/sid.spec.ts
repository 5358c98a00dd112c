import fc from 'fast-check';
import { isSid, SID_PREFIXES, sidFromBytes } from './sid';

describe('SIDs', () => {
  it('use the prefixes TaskRouter documents', () => {
    expect(SID_PREFIXES).toEqual({
      account: 'AC', workspace: 'WS', activity: 'WA', taskChannel: 'TC', taskQueue: 'WQ', worker: 'WK',
      workerChannel: 'WC', workflow: 'WW', task: 'WT', reservation: 'WR', event: 'EV',
    });
  });

  it('are a prefix and 32 hex digits', () => {
    expect(isSid('WS', 'WS' + '0123456789abcdefABCDEF0123456789')).toBe(true);
  });

  it.each([
    ['a different prefix', 'WK' + '0'.repeat(32)],
    ['31 digits', 'WS' + '0'.repeat(31)],
    ['33 digits', 'WS' + '0'.repeat(33)],
    ['a non-hex digit', 'WS' + '0'.repeat(31) + 'z'],
    ['a lower-case prefix', 'ws' + '0'.repeat(32)],
  ])('refuse %s', (_what, value) => {
    expect(isSid('WS', value)).toBe(false);
  });

  it('refuse values that are not strings', () => {
    expect([isSid('WS', undefined), isSid('WS', 42), isSid('WS', null)]).toEqual([false, false, false]);
  });

  it('built from any 16 bytes are valid, and distinct bytes give distinct SIDs', () => {
    const bytes = fc.uint8Array({ minLength: 16, maxLength: 16 });
    fc.assert(fc.property(fc.constantFrom(...Object.values(SID_PREFIXES)), bytes, bytes, (prefix, a, b) => {
      expect(isSid(prefix, sidFromBytes(prefix, a))).toBe(true);
      expect(sidFromBytes(prefix, a) === sidFromBytes(prefix, b)).toBe(Buffer.from(a).equals(Buffer.from(b)));
    }));
  });

  it('built from too few bytes are padded to 32 digits, and from too many cut to 32', () => {
    expect(sidFromBytes('WT', new Uint8Array([0xab]))).toBe('WTab' + '0'.repeat(30));
    expect(sidFromBytes('WT', new Uint8Array(20).fill(0xff))).toBe('WT' + 'f'.repeat(32));
  });
});
