import { PruneSchedule, statisticsCutoff } from './statistics-retention';

const at = (text: string) => Date.parse(text);

describe('the statistics retention', () => {
  it('keeps the 30 days before the UTC day of the newest event: the cutoff moves a day at a time', () => {
    expect(new Date(statisticsCutoff(at('2026-03-31T00:00:00.000Z'))).toISOString()).toBe('2026-03-01T00:00:00.000Z');
    expect(new Date(statisticsCutoff(at('2026-03-31T23:59:59.999Z'))).toISOString()).toBe('2026-03-01T00:00:00.000Z');
    expect(new Date(statisticsCutoff(at('2026-04-01T00:00:00.000Z'))).toISOString()).toBe('2026-03-02T00:00:00.000Z');
  });

  it('prunes on the first batch of each newer day and at least once a minute, never back to an older day', () => {
    let now = 0;
    const schedule = new PruneSchedule(statisticsCutoff, () => now);
    const day31 = at('2026-03-31T10:00:00.000Z');
    expect(schedule.pruneCutoff(day31)).toBe(at('2026-03-01T00:00:00.000Z'));
    now = 59_999;
    expect(schedule.pruneCutoff(day31 + 1_000)).toBeUndefined();
    now = 60_000;
    expect(schedule.pruneCutoff(day31 + 2_000)).toBe(at('2026-03-01T00:00:00.000Z'));
    now = 60_001;
    expect(schedule.pruneCutoff(at('2026-04-01T00:00:01.000Z'))).toBe(at('2026-03-02T00:00:00.000Z'));
    // A batch of older events a minute later prunes to the newest day seen, not its own.
    now = 200_000;
    expect(schedule.pruneCutoff(day31)).toBe(at('2026-03-02T00:00:00.000Z'));
  });
});
