import type { StatisticsQueries, WorkerProfile, WorkerState } from '@taskrouter/read-model';
import { WorkerProfiles } from './worker-profiles';

/** A workspace's workers as the two statistics reads answer them, counting the profiles read. */
function workspace(versions: Record<string, number>) {
  const read: string[][] = [];
  const state = (sid: string): WorkerState => ({ sid, version: versions[sid], activitySid: 'WA1', available: true, hasChannel: true, channelAvailable: true });
  const profile = (sid: string): WorkerProfile => ({ sid, version: versions[sid], friendlyName: sid, activitySid: 'WA1', activityName: 'Idle', attributes: { v: versions[sid] } });
  const queries = {
    workerStates: async () => Object.keys(versions).map(state),
    workerProfiles: async (_ws: string, sids: readonly string[]) => {
      read.push([...sids]);
      return sids.filter((sid) => sid in versions).map(profile);
    },
  } as unknown as StatisticsQueries;
  return { queries, read };
}

describe('the workers’ profiles kept between statistics requests', () => {
  it('reads the profiles only of workers whose version moved since they were read', async () => {
    const versions = { WK1: 1, WK2: 1, WK3: 1 };
    const { queries, read } = workspace(versions);
    const profiles = new WorkerProfiles(queries);
    await profiles.read('WS1');
    versions.WK2 = 2;
    const { profileOf } = await profiles.read('WS1');
    expect(read).toEqual([['WK1', 'WK2', 'WK3'], ['WK2']]);
    expect(profileOf('WK2')?.attributes).toEqual({ v: 2 });
    expect(profileOf('WK1')?.version).toBe(1);
  });

  it('answers every worker of a request even when another request empties the cache meanwhile', async () => {
    const many = Object.fromEntries(Array.from({ length: 150_000 }, (_, i) => [`WKa${i}`, 1]));
    const others = Object.fromEntries(Array.from({ length: 150_000 }, (_, i) => [`WKb${i}`, 1]));
    const first = workspace(many);
    const second = workspace(others);
    const profiles = new WorkerProfiles({
      workerStates: (ws: string) => (ws === 'WS1' ? first.queries : second.queries).workerStates(ws),
      workerProfiles: (ws: string, sids: readonly string[]) => (ws === 'WS1' ? first.queries : second.queries).workerProfiles(ws, sids),
    } as unknown as StatisticsQueries);
    const a = await profiles.read('WS1');
    // Over the cache's bound: it starts over, yet the first request's answer keeps all of its workers.
    const b = await profiles.read('WS2');
    expect(Object.keys(many).every((sid) => a.profileOf(sid) !== undefined)).toBe(true);
    expect(Object.keys(others).every((sid) => b.profileOf(sid) !== undefined)).toBe(true);
    const again = await profiles.read('WS1');
    expect(Object.keys(many).every((sid) => again.profileOf(sid) !== undefined)).toBe(true);
  });
});
