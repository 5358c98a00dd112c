import { compareCheckpoints } from './checkpoint-order';

describe('compareCheckpoints', () => {
  it('orders by transaction id first, then by position', () => {
    expect(compareCheckpoints({ transactionId: '9', position: '100' }, { transactionId: '10', position: '1' })).toBe(-1);
    expect(compareCheckpoints({ transactionId: '10', position: '2' }, { transactionId: '10', position: '1' })).toBe(1);
    expect(compareCheckpoints({ transactionId: '10', position: '2' }, { transactionId: '10', position: '2' })).toBe(0);
  });

  it('compares 64-bit values exactly, beyond what a number holds', () => {
    expect(compareCheckpoints({ transactionId: '9007199254740993', position: '1' }, { transactionId: '9007199254740992', position: '1' })).toBe(1);
  });
});
