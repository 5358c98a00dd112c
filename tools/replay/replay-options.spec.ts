import { readReplayOptions } from './replay-options';

describe('npm run replay options', () => {
  it('defaults to verify-then-swap with a 15 s settle', () => {
    expect(readReplayOptions([])).toEqual({ repair: false, tablesOnly: false, settleMs: 15_000 });
  });

  it('reads --repair, --tables-only and --settle-seconds', () => {
    expect(readReplayOptions(['--repair', '--tables-only', '--settle-seconds', '3'])).toEqual({ repair: true, tablesOnly: true, settleMs: 3_000 });
  });

  it('refuses unknown arguments and bad numbers with the usage', () => {
    expect(() => readReplayOptions(['--force'])).toThrow(/unknown argument '--force'[\s\S]*usage:/);
    expect(() => readReplayOptions(['--settle-seconds', 'x'])).toThrow(/--settle-seconds takes 0 to 3600/);
    expect(() => readReplayOptions(['--settle-seconds', '-1'])).toThrow(/--settle-seconds/);
  });

  it('answers --help', () => {
    expect(readReplayOptions(['--help'])).toBe('help');
  });
});
