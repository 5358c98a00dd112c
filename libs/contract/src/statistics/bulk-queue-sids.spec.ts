import { TaskRouterError } from '../errors/taskrouter-error';
import { bulkQueueSids } from './bulk-queue-sids';

const sid = (n: number) => `WQ${n.toString(16).padStart(32, '0')}`;

describe('the bulk real-time statistics body', () => {
  it('takes QueueSids or queueSids, each SID once', () => {
    expect(bulkQueueSids({ QueueSids: [sid(1), sid(2), sid(1)] })).toEqual([sid(1), sid(2)]);
    expect(bulkQueueSids({ queueSids: [sid(3)] })).toEqual([sid(3)]);
    expect(bulkQueueSids({ QueueSids: Array.from({ length: 50 }, (_, i) => sid(i)) })).toHaveLength(50);
  });

  it.each([
    [{ QueueSids: [] }, /1 to 50/],
    [{ QueueSids: Array.from({ length: 51 }, (_, i) => sid(i)) }, /1 to 50 TaskQueue SIDs, got 51/],
    [{ QueueSids: ['WQ123'] }, /must hold TaskQueue SIDs/],
    [{ QueueSids: [42] }, /must hold TaskQueue SIDs/],
    [{ QueueSids: sid(1) }, /must be an array/],
    [{ QueueSids: [sid(1)], queueSids: [sid(1)] }, /not both/],
    [{ QueueSids: [sid(1)], Other: 1 }, /Unknown parameter Other/],
    [{}, /Missing required parameter QueueSids/],
    [[sid(1)], /JSON object/],
    [null, /JSON object/],
  ])('refuses %j with a 400', (body, message) => {
    expect(() => bulkQueueSids(body)).toThrow(TaskRouterError);
    expect(() => bulkQueueSids(body)).toThrow(message);
  });
});
