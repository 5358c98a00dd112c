import { typedAppend } from './test-support/typed-append';
import { isolatedEventStore, type IsolatedEventStore } from './test-support/isolated-event-store';

describe('PostgresEventStore.readStreams', () => {
  let db: IsolatedEventStore;

  beforeAll(async () => {
    db = await isolatedEventStore({ poolSize: 2 });
  });
  afterAll(() => db.dispose());

  const append = typedAppend;

  it('answers each stream from its own version, in the order asked, as readStream would', async () => {
    await db.store.append([append('task:r1', 0, 'A', 'B', 'C'), append('worker:r1', 0, 'X')]);
    const answers = await db.store.readStreams([
      { streamId: 'worker:r1', fromVersion: 1 }, { streamId: 'task:r1', fromVersion: 2 }, { streamId: 'task:none', fromVersion: 1 },
      { streamId: 'task:r1', fromVersion: 4 }, { streamId: 'task:r1', fromVersion: 1 },
    ]);
    expect(answers.map((a) => [a.version, a.events.map((e) => `${e.streamId}@${e.streamVersion}:${e.type}`)])).toEqual([
      [1, ['worker:r1@1:X']], [3, ['task:r1@2:B', 'task:r1@3:C']], [0, []], [3, []], [3, ['task:r1@1:A', 'task:r1@2:B', 'task:r1@3:C']],
    ]);
    expect(answers[4]).toEqual(await db.store.readStream('task:r1'));
    expect(await db.store.readStreams([])).toEqual([]);
  });
});
