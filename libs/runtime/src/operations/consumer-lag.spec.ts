import { partitionLags } from './consumer-lag';

describe('partitionLags', () => {
  it('is the high watermark minus the committed offset', () => {
    expect(partitionLags([{ topic: 't', partition: 0, low: 0, high: 120, committed: 100 }])).toEqual([{ topic: 't', partition: 0, lag: 20 }]);
    expect(partitionLags([{ topic: 't', partition: 1, low: 0, high: 7, committed: 7 }])).toEqual([{ topic: 't', partition: 1, lag: 0 }]);
  });

  it('counts a partition the group never committed from its low watermark', () => {
    expect(partitionLags([{ topic: 't', partition: 2, low: 40, high: 50, committed: -1 }])).toEqual([{ topic: 't', partition: 2, lag: 10 }]);
  });

  it('counts a commit below a truncated log start from that start, and is never negative', () => {
    expect(partitionLags([{ topic: 't', partition: 3, low: 90, high: 100, committed: 10 }])[0].lag).toBe(10);
    expect(partitionLags([{ topic: 't', partition: 4, low: 0, high: 5, committed: 6 }])[0].lag).toBe(0);
  });
});
