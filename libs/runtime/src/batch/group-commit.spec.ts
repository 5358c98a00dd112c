import { WrongExpectedVersionError, type BatchDecision, type BatchOutcome, type StoredEvent, type StreamAppend } from '@taskrouter/event-store';
import { GroupCommit } from './group-commit';

const stored = (a: StreamAppend): StoredEvent[] => a.events.map((e, i) => ({
  position: '1', transactionId: '1', streamId: a.streamId, streamVersion: (a.expectedVersion as number) + i + 1, type: e.type, schemaVersion: 1, data: e.data, metadata: {}, recordedAt: '',
}));
const created = (streamId: string): StreamAppend[] => [{ streamId, expectedVersion: 0, events: [{ type: 'TaskCreated', data: {} }] }];

/** A log whose transactions finish only when the test says so, to watch what waits and what groups. */
class ControlledLog {
  readonly transactions: Array<{ size: number; finish: () => void; finishWith: (outcomes: BatchOutcome[]) => void }> = [];
  failWith?: Error;
  conflictOn?: string;

  appendBatch = (decisions: readonly BatchDecision[]): Promise<BatchOutcome[]> => new Promise((resolve, reject) => {
    this.transactions.push({
      size: decisions.length, finish: () => (this.failWith ? reject(this.failWith) : resolve(decisions.map((d) => this.outcomeOf(d.appends)))), finishWith: resolve,
    });
  });

  appendAlone = (appends: StreamAppend[]): Promise<StoredEvent[]> => new Promise((resolve, reject) => {
    this.transactions.push({ size: 1, finishWith: () => undefined, finish: () => {
      const outcome = this.failWith && appends[0].streamId === this.conflictOn ? { committed: false as const, error: this.failWith } : this.outcomeOf(appends);
      if (outcome.committed) resolve(outcome.events);
      else reject(outcome.error);
    } });
  });

  private outcomeOf(appends: readonly StreamAppend[]): BatchOutcome {
    if (appends[0].streamId === this.conflictOn) return { committed: false, error: new WrongExpectedVersionError(appends[0].streamId, 0, 1) };
    return { committed: true, events: appends.flatMap(stored) };
  }

  async finishAll(): Promise<void> {
    for (let i = 0; i < 10; i++) {
      const open = this.transactions.splice(0);
      open.forEach((t) => t.finish());
      await new Promise((resolve) => setImmediate(resolve));
    }
  }
}

describe('GroupCommit', () => {
  it('commits a lone request at once, and what arrives while transactions are in flight together in the next one', async () => {
    const log = new ControlledLog();
    const group = new GroupCommit(log, { maxTransactionsInFlight: 1 });
    const first = group.append(created('task:1'));
    expect(log.transactions.map((t) => t.size)).toEqual([1]);
    const rest = [group.append(created('task:2')), group.append(created('task:3')), group.append(created('task:4'))];
    expect(log.transactions).toHaveLength(1);

    log.transactions.shift()!.finish();
    await first;
    await new Promise((resolve) => setImmediate(resolve));
    expect(log.transactions.map((t) => t.size)).toEqual([3]);
    await log.finishAll();
    expect((await Promise.all(rest)).map((events) => events[0].streamId)).toEqual(['task:2', 'task:3', 'task:4']);
  });

  it('gives a request that lost its version race its own conflict, and commits the others', async () => {
    const log = new ControlledLog();
    log.conflictOn = 'task:b';
    const group = new GroupCommit(log, { maxTransactionsInFlight: 1 });
    const blocker = group.append(created('task:0'));
    const a = group.append(created('task:a'));
    const b = group.append(created('task:b')).catch((error: unknown) => error);
    await log.finishAll();

    await blocker;
    await expect(a).resolves.toHaveLength(1);
    expect(await b).toBeInstanceOf(WrongExpectedVersionError);
  });

  it('when the whole group fails with one error, tries each request alone so only its cause fails it', async () => {
    const log = new ControlledLog();
    const group = new GroupCommit(log, { maxTransactionsInFlight: 1 });
    const blocker = group.append(created('task:0'));
    const good = group.append(created('task:good'));
    const bad = group.append(created('task:bad')).catch((error: unknown) => error);
    log.transactions.shift()!.finish();
    await blocker;
    await new Promise((resolve) => setImmediate(resolve));
    log.failWith = new Error('projection refused task:bad');
    log.conflictOn = 'task:bad';
    log.transactions.shift()!.finish();
    await new Promise((resolve) => setImmediate(resolve));
    // One at a time, in the group's slot: the alone tries never exceed the transactions allowed in flight.
    expect(log.transactions.map((t) => t.size)).toEqual([1]);
    await log.finishAll();

    await expect(good).resolves.toHaveLength(1);
    expect(await bad).toEqual(new Error('projection refused task:bad'));
  });

  it('a failure that is not the request\'s own is tried alone, even when another request of the group lost its race', async () => {
    const log = new ControlledLog();
    const group = new GroupCommit(log, { maxTransactionsInFlight: 1 });
    const blocker = group.append(created('task:0'));
    const lost = group.append(created('task:lost')).catch((error: unknown) => error);
    const innocent = group.append(created('task:innocent'));
    log.transactions.shift()!.finish();
    await blocker;
    await new Promise((resolve) => setImmediate(resolve));
    // The batch: one lost its race, the other failed with an error that was not its own.
    log.transactions.shift()!.finishWith([
      { committed: false, error: new WrongExpectedVersionError('task:lost', 0, 1) },
      { committed: false, error: new Error('unique violation of someone else') },
    ]);
    await log.finishAll();

    expect(await lost).toBeInstanceOf(WrongExpectedVersionError);
    await expect(innocent).resolves.toHaveLength(1);
  });

  it('never has more transactions in flight than allowed, nor more decisions in one than allowed', async () => {
    const log = new ControlledLog();
    const group = new GroupCommit(log, { maxTransactionsInFlight: 2, maxDecisionsPerTransaction: 3 });
    const all = Array.from({ length: 10 }, (_, i) => group.append(created(`task:${i}`)));
    expect(log.transactions.map((t) => t.size)).toEqual([1, 1]);
    await log.finishAll();
    await Promise.all(all);
  });
});
