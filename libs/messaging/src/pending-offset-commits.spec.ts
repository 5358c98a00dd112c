import { PendingOffsetCommits, type PartitionOffset } from './pending-offset-commits';

describe('PendingOffsetCommits', () => {
  const warnings: string[] = [];
  const logger = (entry: { message: string }) => void warnings.push(entry.message);
  let committed: PartitionOffset[][];
  let commits: PendingOffsetCommits;

  beforeEach(() => {
    jest.useFakeTimers();
    committed = [];
    warnings.length = 0;
    commits = new PendingOffsetCommits(async (offsets) => void committed.push(offsets), logger, 'group', 100);
  });
  afterEach(() => jest.useRealTimers());

  it('commits every partition handled within the interval in one request, each at its next offset', async () => {
    commits.handled('tasks', 0, '7');
    commits.handled('tasks', 1, '3');
    commits.handled('tasks', 0, '8');
    commits.handled('workers', 0, '99');
    expect(committed).toEqual([]);
    await jest.advanceTimersByTimeAsync(100);
    expect(committed).toEqual([[
      { topic: 'tasks', partition: 0, offset: '9' },
      { topic: 'tasks', partition: 1, offset: '4' },
      { topic: 'workers', partition: 0, offset: '100' },
    ]]);
  });

  it('commits offsets past the range of a JavaScript number exactly', async () => {
    commits.handled('tasks', 0, '9007199254740993');
    await commits.flush();
    expect(committed).toEqual([[{ topic: 'tasks', partition: 0, offset: '9007199254740994' }]]);
  });

  it('sends nothing when nothing was handled, and nothing twice', async () => {
    await commits.flush();
    commits.handled('tasks', 0, '1');
    await commits.flush();
    await jest.advanceTimersByTimeAsync(500);
    expect(committed).toEqual([[{ topic: 'tasks', partition: 0, offset: '2' }]]);
  });

  it('leaves partitions this member lost to their new owner', async () => {
    commits.handled('tasks', 0, '1');
    commits.handled('tasks', 1, '1');
    commits.keepOnly((_topic, partition) => partition === 1);
    await commits.flush();
    expect(committed).toEqual([[{ topic: 'tasks', partition: 1, offset: '2' }]]);
  });

  it('keeps commits in order, and a refused commit neither throws nor blocks the next one', async () => {
    const order: string[] = [];
    let refuse = true;
    commits = new PendingOffsetCommits(async (offsets) => {
      order.push(offsets[0].offset);
      if (refuse) {
        refuse = false;
        throw new Error('The coordinator is loading');
      }
    }, logger, 'group', 100);
    commits.handled('tasks', 0, '1');
    const first = commits.flush();
    commits.handled('tasks', 0, '2');
    const second = commits.flush();
    await expect(first).resolves.toBeUndefined();
    await second;
    expect(order).toEqual(['2', '3']);
    expect(warnings).toEqual(['Offsets not committed; their records will be delivered again']);
  });

  it('commits what is pending when closed, and nothing that ends after, until reopened', async () => {
    commits.handled('tasks', 0, '7');
    await commits.close();
    expect(committed).toEqual([[{ topic: 'tasks', partition: 0, offset: '8' }]]);
    commits.commitNext('tasks', 0, '12');
    await jest.advanceTimersByTimeAsync(1_000);
    expect(committed).toHaveLength(1);
    commits.reopen();
    commits.commitNext('tasks', 0, '12');
    await jest.advanceTimersByTimeAsync(100);
    expect(committed[1]).toEqual([{ topic: 'tasks', partition: 0, offset: '12' }]);
  });
});
