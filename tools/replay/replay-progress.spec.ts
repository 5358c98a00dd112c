import { progressLine, replayProgress } from './replay-progress';

describe('npm run replay progress', () => {
  it('draws a bar against the estimated size, with the rate', () => {
    expect(progressLine(250_000, 1_000_000, 2_000)).toBe(`replay [########......................] 250,000 of ~1,000,000 events, 125,000 events/s`);
    expect(progressLine(1_100_000, 1_000_000, 10_000)).toContain('[##############################] 1,100,000 of ~1,000,000');
  });

  it('rewrites one line on a terminal, and writes a line per tenth elsewhere', () => {
    const tty: string[] = [];
    const onTerminal = replayProgress(100, (text) => tty.push(text), true);
    for (let events = 5; events <= 100; events += 5) onTerminal.report(events, 1_000);
    onTerminal.end();
    expect(tty).toHaveLength(21);
    expect(tty[0].startsWith('\r')).toBe(true);

    const log: string[] = [];
    const inLog = replayProgress(100, (text) => log.push(text), false);
    for (let events = 5; events <= 100; events += 5) inLog.report(events, 1_000);
    expect(log).toHaveLength(11);
    expect(log.every((line) => line.endsWith('\n'))).toBe(true);
  });
});
