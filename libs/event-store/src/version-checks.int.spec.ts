import { WrongExpectedVersionError } from './errors';
import { versionCheck } from './events';
import { typedAppend } from './test-support/typed-append';
import { isolatedEventStore, type IsolatedEventStore } from './test-support/isolated-event-store';

describe('version checks: streams a decision read and appends nothing to', () => {
  let db: IsolatedEventStore;

  beforeAll(async () => {
    db = await isolatedEventStore({ poolSize: 4 });
  });
  afterAll(() => db.dispose());

  const append = typedAppend;
  const typesOf = async (streamId: string) => (await db.store.readStream(streamId)).events.map((e) => e.type);

  it('commits an append whose checked streams are still at the versions read, leaving them untouched', async () => {
    await db.store.append([append('workflow:a', 0, 'WorkflowCreated', 'WorkflowUpdated')]);
    const stored = await db.store.append([append('task:a', 0, 'TaskCreated'), versionCheck('workflow:a', 2), versionCheck('workspace:none', 0)]);
    expect(stored.map((e) => e.streamId)).toEqual(['task:a']);
    expect(await typesOf('workflow:a')).toEqual(['WorkflowCreated', 'WorkflowUpdated']);
    expect((await db.store.readStream('workspace:none')).version).toBe(0);
  });

  it('refuses the whole append when a checked stream moved on, and writes nothing', async () => {
    await db.store.append([append('workflow:b', 0, 'WorkflowCreated')]);
    await db.store.append([append('workflow:b', 1, 'WorkflowUpdated')]);
    const refused = db.store.append([append('task:b', 0, 'TaskCreated'), versionCheck('workflow:b', 1)]);
    await expect(refused).rejects.toBeInstanceOf(WrongExpectedVersionError);
    await expect(refused).rejects.toMatchObject({ streamId: 'workflow:b', expected: 1, actual: 2 });
    expect(await typesOf('task:b')).toEqual([]);
    await expect(db.store.append([append('task:b2', 0, 'TaskCreated'), versionCheck('workspace:missing', 1)])).rejects.toBeInstanceOf(WrongExpectedVersionError);
  });

  it('in a batch, fails only the decision whose check lost; decisions checking the same stream commit together', async () => {
    await db.store.append([append('workspace:c', 0, 'WorkspaceCreated'), append('workflow:c', 0, 'WorkflowCreated')]);
    await db.store.append([append('workflow:c', 1, 'WorkflowUpdated')]);
    const outcomes = await db.store.appendBatch([
      { appends: [append('task:c1', 0, 'TaskCreated'), versionCheck('workspace:c', 1), versionCheck('workflow:c', 2)] },
      { appends: [append('task:c2', 0, 'TaskCreated'), versionCheck('workspace:c', 1), versionCheck('workflow:c', 1)] },
      { appends: [append('task:c3', 0, 'TaskCreated'), versionCheck('workspace:c', 1)] },
    ]);
    expect(outcomes.map((o) => o.committed)).toEqual([true, false, true]);
    expect(outcomes[1]).toMatchObject({ error: { streamId: 'workflow:c', expected: 1, actual: 2 } });
    expect(await typesOf('task:c1')).toEqual(['TaskCreated']);
    expect(await typesOf('task:c2')).toEqual([]);
    expect(await typesOf('task:c3')).toEqual(['TaskCreated']);
  });

  it('in a batch, fails every decision whose check the database refuses, and commits the rest (no endless retry)', async () => {
    await db.store.append([append('workflow:f', 0, 'WorkflowCreated')]);
    await db.store.append([append('workflow:f', 1, 'WorkflowUpdated')]);
    await db.store.append([append('workspace:f', 0, 'WorkspaceCreated')]);
    // All three decided on workflow:f at version 1, a version the batch itself cannot tell is stale.
    const outcomes = await db.store.appendBatch([
      { appends: [append('task:f1', 0, 'TaskCreated'), versionCheck('workflow:f', 1)] },
      { appends: [append('task:f2', 0, 'TaskCreated'), versionCheck('workspace:f', 1)] },
      { appends: [append('task:f3', 0, 'TaskCreated'), versionCheck('workflow:f', 1), versionCheck('workspace:f', 1)] },
    ]);
    expect(outcomes.map((o) => o.committed)).toEqual([false, true, false]);
    expect(outcomes[0]).toMatchObject({ error: { streamId: 'workflow:f', expected: 1, actual: 2 } });
    expect(await typesOf('task:f2')).toEqual(['TaskCreated']);
    expect(await typesOf('task:f1')).toEqual([]);
    expect(await typesOf('task:f3')).toEqual([]);
  });

  it('in a batch, a write on a stream a stale decision checked first still commits once that decision is out', async () => {
    await db.store.append([append('worker:g', 0, 'WorkerCreated')]);
    await db.store.append([append('worker:g', 1, 'WorkerUpdated')]);
    const outcomes = await db.store.appendBatch([
      { appends: [append('task:g1', 0, 'TaskCreated'), versionCheck('worker:g', 1)] },
      { appends: [append('worker:g', 2, 'WorkerUpdated')] },
    ]);
    expect(outcomes.map((o) => o.committed)).toEqual([false, true]);
    expect(await typesOf('worker:g')).toEqual(['WorkerCreated', 'WorkerUpdated', 'WorkerUpdated']);
  });

  it('in a batch, a check of a stream an earlier decision appended to must expect the version after it', async () => {
    await db.store.append([append('worker:d', 0, 'WorkerCreated')]);
    const outcomes = await db.store.appendBatch([
      { appends: [append('worker:d', 1, 'WorkerUpdated')] },
      { appends: [append('task:d1', 0, 'TaskCreated'), versionCheck('worker:d', 2)] },
      { appends: [append('task:d2', 0, 'TaskCreated'), versionCheck('worker:d', 1)] },
    ]);
    expect(outcomes.map((o) => o.committed)).toEqual([true, true, false]);
    expect(await typesOf('worker:d')).toEqual(['WorkerCreated', 'WorkerUpdated']);
  });

  it('refuses a check that carries events or no exact version', async () => {
    await expect(db.store.append([append('task:e', 0, 'TaskCreated'), { ...append('workflow:e', 0, 'X'), checkOnly: true }])).rejects.toThrow('needs an expected version and no events');
    await expect(db.store.append([append('task:e', 0, 'TaskCreated'), { streamId: 'workflow:e', expectedVersion: 'any', events: [], checkOnly: true }])).rejects.toThrow('needs an expected version and no events');
    expect(await typesOf('task:e')).toEqual([]);
  });
});
