import type { WorkerProfile, WorkerState } from '@taskrouter/read-model';
import { EligibleWorkers } from './eligible-workers';

const state = (sid: string, activitySid: string, available: boolean, channel = { has: true, available: true }, version = 1): WorkerState => ({
  sid, version, activitySid, available, hasChannel: channel.has, channelAvailable: channel.available,
});
const profile = (sid: string, languages: string[], version = 1): WorkerProfile => ({
  sid, version, friendlyName: sid, activitySid: 'WA2', activityName: 'Available', attributes: { languages },
});
const activities = [{ sid: 'WA1', friendlyName: 'Offline', workers: 99 }, { sid: 'WA2', friendlyName: 'Available', workers: 99 }];

describe('a queue’s eligible workers', () => {
  const workers = [
    state('WK1', 'WA2', true), state('WK2', 'WA1', false), state('WK3', 'WA2', true),
    state('WK4', 'WA2', true, { has: true, available: false }), state('WK5', 'WA2', true, { has: false, available: false }),
  ];
  const profiles = new Map([profile('WK1', ['es']), profile('WK2', ['es']), profile('WK3', ['en']), profile('WK4', ['es']), profile('WK5', ['es'])].map((p) => [p.sid, p]));
  const profileOf = (sid: string) => profiles.get(sid);

  it('are those its TargetWorkers matches, whatever their activity; available ones are in an available activity with the channel available', () => {
    const { sids, figures } = new EligibleWorkers().figures('languages HAS "es"', workers, profileOf, activities);
    expect(sids).toEqual(['WK1', 'WK2', 'WK4']);
    expect(figures).toEqual({ totalWorkers: 3, availableWorkers: 1, activities: [{ sid: 'WA1', friendlyName: 'Offline', workers: 1 }, { sid: 'WA2', friendlyName: 'Available', workers: 2 }] });
  });

  it('are nobody for a queue without TargetWorkers', () => {
    const eligible = new EligibleWorkers();
    expect(eligible.figures(null, workers, profileOf, activities).figures).toMatchObject({ totalWorkers: 0, availableWorkers: 0 });
    expect(eligible.figures('  ', workers, profileOf, activities).sids).toEqual([]);
  });

  it('judges a worker again when its version moves, and keeps the verdict while it does not', () => {
    const eligible = new EligibleWorkers();
    const one = [state('WK1', 'WA2', true)];
    expect(eligible.figures('languages HAS "es"', one, () => profile('WK1', ['es']), activities).sids).toEqual(['WK1']);
    // The same version always has the same attributes: its verdict is not evaluated again.
    expect(eligible.figures('languages HAS "es"', one, () => profile('WK1', ['en']), activities).sids).toEqual(['WK1']);
    expect(eligible.figures('languages HAS "es"', [state('WK1', 'WA2', true, undefined, 2)], () => profile('WK1', ['en'], 2), activities).sids).toEqual([]);
  });

  it('leaves out a worker deleted before its profile was read', () => {
    expect(new EligibleWorkers().figures('languages HAS "es"', [state('WK9', 'WA2', true)], () => undefined, activities).sids).toEqual([]);
  });
});
