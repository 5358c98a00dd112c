import { parseOpenings } from './worker-openings';

describe('parseOpenings', () => {
  const hash = ['version', '4', 'available', '1', 'idleSince', '900', 'queues', '["WQ1","WQ2"]', 'channels', '["voice"]',
    'c:voice:capacity', '2', 'c:voice:assigned', '1', 'c:voice:available', '1'];
  const details = (taskSid: string, priority: number, enteredAt: number) => JSON.stringify({ taskSid, priority, enteredAt, channel: 'voice', member: `x:${taskSid}` });

  it('reads the worker and the waiting tasks of each queue, skipping entries gone meanwhile', () => {
    const openings = parseOpenings('WS1', 'WK1', [hash, ['WQ1', [details('WT1', 5, 10), null], 'WQ2', [details('WT2', 0, 5)]]]);
    expect(openings.worker).toEqual({
      workspaceSid: 'WS1', workerSid: 'WK1', available: true, idleSince: 900, queues: ['WQ1', 'WQ2'], version: 4,
      channels: { voice: { capacity: 2, assigned: 1, available: true } },
    });
    expect(openings.waiting).toEqual([
      { taskSid: 'WT1', priority: 5, enteredAt: 10, channel: 'voice', queueSid: 'WQ1' },
      { taskSid: 'WT2', priority: 0, enteredAt: 5, channel: 'voice', queueSid: 'WQ2' },
    ]);
  });

  it('answers no worker for an empty hash or a tombstone', () => {
    expect(parseOpenings('WS1', 'WK1', [[], []])).toEqual({ worker: null, waiting: [] });
    expect(parseOpenings('WS1', 'WK1', [['version', '3', 'removed', '1'], []]).worker).toBeNull();
  });
});
