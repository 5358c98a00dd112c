import type { WorkerRow } from '@taskrouter/read-model';
import { EligibleWorkers } from './eligible-workers';

const row = (sid: string, languages: string[], activitySid: string, available: boolean, channel = { has: true, available: true }): WorkerRow => ({
  sid, friendlyName: sid, activitySid, activityName: activitySid, available, attributes: { languages }, hasChannel: channel.has, channelAvailable: channel.available,
});
const activities = [{ sid: 'WA1', friendlyName: 'Offline', workers: 99 }, { sid: 'WA2', friendlyName: 'Available', workers: 99 }];

describe('a queue’s eligible workers', () => {
  const eligible = new EligibleWorkers();
  const workers = [
    row('WK1', ['es'], 'WA2', true), row('WK2', ['es'], 'WA1', false), row('WK3', ['en'], 'WA2', true),
    row('WK4', ['es'], 'WA2', true, { has: true, available: false }), row('WK5', ['es'], 'WA2', true, { has: false, available: false }),
  ];

  it('are those its TargetWorkers matches, whatever their activity; available ones are in an available activity with the channel available', () => {
    const { sids, figures } = eligible.figures('languages HAS "es"', workers, activities);
    expect(sids).toEqual(['WK1', 'WK2', 'WK4']);
    expect(figures).toEqual({ totalWorkers: 3, availableWorkers: 1, activities: [{ sid: 'WA1', friendlyName: 'Offline', workers: 1 }, { sid: 'WA2', friendlyName: 'Available', workers: 2 }] });
  });

  it('are nobody for a queue without TargetWorkers', () => {
    expect(eligible.figures(null, workers, activities).figures).toMatchObject({ totalWorkers: 0, availableWorkers: 0 });
    expect(eligible.figures('  ', workers, activities).sids).toEqual([]);
  });
});
