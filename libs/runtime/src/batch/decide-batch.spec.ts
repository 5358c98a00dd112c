import { WrongExpectedVersionError, type BatchDecision, type BatchOutcome, type StoredEvent, type StreamAppend } from '@taskrouter/event-store';
import { decideBatch } from './decide-batch';
import { DecisionBatch, type PendingState } from './decision-batch';

/** A log in memory: enough to watch what the batch sends, and what goes direct. */
class RecordingLog {
  readonly versions = new Map<string, number>();
  readonly batches: BatchDecision[][] = [];
  readonly direct: StreamAppend[][] = [];

  commit = async (decisions: BatchDecision[]): Promise<BatchOutcome[]> => {
    this.batches.push(decisions);
    return decisions.map((d) => (d.appends.every((a) => (this.versions.get(a.streamId) ?? 0) === a.expectedVersion)
      ? { committed: true, events: this.write(d.appends) }
      : { committed: false, error: new WrongExpectedVersionError(d.appends[0].streamId, d.appends[0].expectedVersion, this.versions.get(d.appends[0].streamId) ?? 0) }));
  };

  write(appends: readonly StreamAppend[]): StoredEvent[] {
    return appends.flatMap((a) => a.events.map((e) => {
      const version = (this.versions.get(a.streamId) ?? 0) + 1;
      this.versions.set(a.streamId, version);
      return { position: '1', transactionId: '1', streamId: a.streamId, streamVersion: version, type: e.type, schemaVersion: 1, data: e.data, metadata: {}, recordedAt: '' };
    }));
  }

  /** What a service's append does: joins the batch while it collects, else writes at once. */
  append = (appends: StreamAppend[]): Promise<StoredEvent[]> => {
    const batch = DecisionBatch.current();
    const evolve = (_: string, p: PendingState, events: readonly unknown[]): PendingState => ({ ...p, version: p.version + events.length });
    if (batch?.collecting) return batch.collect({ appends }, evolve);
    this.direct.push(appends);
    if (appends.some((a) => (this.versions.get(a.streamId) ?? 0) !== a.expectedVersion)) return Promise.reject(new WrongExpectedVersionError(appends[0].streamId, 0, 0));
    return Promise.resolve(this.write(appends));
  };

  /** The version a handler reads: the batch's own pending state first, as the aggregate store does. */
  read(streamId: string): number {
    const batch = DecisionBatch.current();
    const pending = batch?.pendingState(streamId);
    if (pending) return pending.version;
    const version = this.versions.get(streamId) ?? 0;
    batch?.noteLoaded(streamId, { kind: 'task', state: null, version });
    return version;
  }
}

const routed = (streamId: string, expectedVersion: number): StreamAppend => ({ streamId, expectedVersion, events: [{ type: 'TaskRouted', data: {} }] });

describe('decideBatch', () => {
  it('commits every decision of the batch in one call, later decisions on a stream building on earlier ones', async () => {
    const log = new RecordingLog();
    const decide = (streamId: string) => async () => void (await log.append([routed(streamId, log.read(streamId))]));

    const results = await decideBatch([{ key: 'a', handle: decide('task:a') }, { key: 'b', handle: decide('task:b') }, { key: 'a', handle: decide('task:a') }], { commit: log.commit });

    expect(results.map((r) => r.kind)).toEqual(['done', 'done', 'done']);
    expect(log.batches).toHaveLength(1);
    expect(log.batches[0].map((d) => [d.appends[0].streamId, d.appends[0].expectedVersion])).toEqual([['task:a', 0], ['task:b', 0], ['task:a', 1]]);
    expect(log.direct).toHaveLength(0);
    expect(log.versions.get('task:a')).toBe(2);
  });

  it('a handler that throws is handed back with the later records of its stream; the others commit', async () => {
    const log = new RecordingLog();
    const decide = (streamId: string) => async () => void (await log.append([routed(streamId, log.read(streamId))]));
    const poison = async () => { throw new Error('poison'); };

    const results = await decideBatch([
      { key: 'a', handle: poison }, { key: 'b', handle: decide('task:b') }, { key: 'a', handle: decide('task:a') },
    ], { commit: log.commit });

    expect(results.map((r) => r.kind)).toEqual(['retry', 'done', 'retry']);
    expect(log.batches[0].map((d) => d.appends[0].streamId)).toEqual(['task:b']);
  });

  it('a decision that lost is decided again by its own handler, directly, before the next record finishes', async () => {
    const log = new RecordingLog();
    const order: string[] = [];
    const decideWithRetry = (streamId: string, name: string) => async () => {
      for (let attempt = 1; ; attempt++) {
        try {
          await log.append([routed(streamId, log.read(streamId))]);
          order.push(`${name} committed on try ${attempt}`);
          return;
        } catch (error) {
          if (!(error instanceof WrongExpectedVersionError) || attempt > 3) throw error;
        }
      }
    };
    const rival = async () => {
      log.read('task:x');
      // Another writer gets in between the read and the commit.
      log.versions.set('task:x', 5);
      order.push('rival wrote');
    };

    const results = await decideBatch([{ key: 'r', handle: rival }, { key: 'x', handle: decideWithRetry('task:x', 'x') }, { key: 'y', handle: decideWithRetry('task:y', 'y') }], { commit: log.commit });

    expect(results.map((r) => r.kind)).toEqual(['done', 'done', 'done']);
    expect(order).toEqual(['rival wrote', 'x committed on try 2', 'y committed on try 1']);
    expect(log.direct.map((a) => [a[0].streamId, a[0].expectedVersion])).toEqual([['task:x', 5]]);
  });

  it('tells the target what committed, with the states the batch read and produced', async () => {
    const log = new RecordingLog();
    const seen: Array<[number, number]> = [];
    await decideBatch([{ key: 'a', handle: async () => void (await log.append([routed('task:a', log.read('task:a'))])) }], {
      commit: log.commit,
      committed: (decisions, pending, outcomes) => seen.push([decisions.length, pending.get('task:a')?.version ?? -1], [outcomes.length, outcomes.filter((o) => o.committed).length]),
    });

    expect(seen).toEqual([[1, 1], [1, 1]]);
  });

  it('a handler that decides nothing is done without a transaction', async () => {
    const log = new RecordingLog();
    const decidesNothing = () => Promise.resolve();
    const results = await decideBatch([{ key: 'a', handle: decidesNothing }], { commit: log.commit });
    expect(results).toEqual([{ kind: 'done' }]);
    expect(log.batches).toHaveLength(0);
  });
});

describe('decideBatch, when a handler fails after the commit', () => {
  it('hands back the later records of its stream too, so they are handled again after it, in order', async () => {
    const log = new RecordingLog();
    const failsAfterItsAppend = async () => {
      await log.append([routed('task:a', log.read('task:a'))]);
      throw new Error('Redis went away after the commit');
    };
    const decide = (streamId: string) => async () => void (await log.append([routed(streamId, log.read(streamId))]));

    const results = await decideBatch([{ key: 'task:a', handle: failsAfterItsAppend }, { key: 'task:a', handle: decide('task:a') }, { key: 'task:b', handle: decide('task:b') }], { commit: log.commit });

    expect(results.map((r) => r.kind)).toEqual(['retry', 'retry', 'done']);
  });

  it('a commit that throws rejects every collected decision instead of leaving its handler waiting', async () => {
    const log = new RecordingLog();
    const decide = (streamId: string) => async () => void (await log.append([routed(streamId, log.read(streamId))]));
    const results = await decideBatch([{ key: 'task:a', handle: decide('task:a') }], { commit: () => Promise.reject(new Error('connection lost')) });
    expect(results).toEqual([{ kind: 'retry', error: new Error('connection lost') }]);
  });

  it('starts no handler once the partition is lost, and heartbeats as it goes', async () => {
    const log = new RecordingLog();
    let owned = true;
    let beats = 0;
    const ran: string[] = [];
    const item = (key: string) => ({ key, handle: async () => { ran.push(key); if (key === 'task:b') owned = false; } });
    const results = await decideBatch([item('task:a'), item('task:b'), item('task:c')], { commit: log.commit }, {
      heartbeat: async () => void beats++, stillOwned: () => owned,
    });
    expect(ran).toEqual(['task:a', 'task:b']);
    expect(results[2]).toEqual({ kind: 'retry' });
    expect(beats).toBeGreaterThanOrEqual(2);
  });
});
